/** @type {import('next').NextConfig} */
const nextConfig = {
  // Loaded by Node itself, not bundled per route: the chat route and the proxy route share one
  // costLogger registry and one lookup client (module singletons, AsyncLocalStorage).
  serverExternalPackages: ['@genmeta/node-middleware', '@genmeta/core'],
};

export default nextConfig;

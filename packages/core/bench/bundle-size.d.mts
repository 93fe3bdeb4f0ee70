/** Entry using core's client, resolved against the built dist. */
export declare const coreEntry: string;
/** Entry using the official SDK's standalone generation lookup. */
export declare const sdkEntry: string;
/** Minified and gzipped byte counts of `entry` bundled for the browser with esbuild. */
export declare function bundleSize(entry: string): Promise<{ minified: number; gzipped: number }>;

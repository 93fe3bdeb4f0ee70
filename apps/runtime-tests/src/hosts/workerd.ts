// workerd (Miniflare): the app is the Worker's default export.
export { default } from '../app.js';

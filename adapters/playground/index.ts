// The playground adapter: a local web page acting as one channel, all of it stored in Redis.
export * from './channel-store.js';
export { BOT_AUTHOR, createPlaygroundPlatform } from './platform.js';
export * from './routes.js';
export * from './server.js';

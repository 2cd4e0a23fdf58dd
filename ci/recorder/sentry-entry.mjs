// esbuild entry for the Sentry SDK bundle injected by record.mjs (an IIFE setting `Sentry`).
export { init, flush, getReplay, replayIntegration } from '@sentry/browser';

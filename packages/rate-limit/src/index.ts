export * from './rate-limiter.ts';
export { gcra, refundTat, type Rate, type GcraOutcome } from './gcra.ts';

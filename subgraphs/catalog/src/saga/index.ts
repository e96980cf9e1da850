export * from './stock-handler.ts';
export {
  mergeLines,
  releaseStock,
  reserveStock,
  type ReserveResult,
} from '../data/stock-reservations.ts';

export * from './stock-reservations.ts';

// Price rules are part of the contract and shared with search: see @shop/subgraph-kit.
export { compareDecimal, MAX_PRICE, parsePrice } from '@shop/subgraph-kit';

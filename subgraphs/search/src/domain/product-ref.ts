/** A product as this subgraph knows it: an id; the catalog resolves everything else. */
export interface ProductRef {
  id: string;
}

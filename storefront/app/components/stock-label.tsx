/** In stock, few left, or out of stock, in words (not colour alone). */
export function StockLabel({ stock }: { stock: number }) {
  if (stock <= 0) return <p className="stock stock-out">Out of stock</p>;
  if (stock <= 5) return <p className="stock stock-low">Only {stock} left</p>;
  return <p className="stock stock-in">In stock</p>;
}

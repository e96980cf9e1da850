/** The storefront query mix: what a product listing, a product page, a search and a cart badge ask. */
export const PRODUCT_LIST = `query ProductList {
  products(first: 20, sort: NEWEST) {
    totalCount
    edges { node { id name price { amount currency } stock inStock rating category { id name } seller { id name } } }
  }
}`;

export const PRODUCT_PAGE = `query ProductPage($id: ID!) {
  product(id: $id) {
    id name description price { amount currency } stock inStock rating images
    category { id name parent { name } } seller { id name }
    reviews(first: 10) { totalCount edges { node { rating text createdAt author { id name } } } }
  }
}`;

export const SEARCH = `query Search($q: String!) {
  searchProducts(query: $q, first: 10) {
    totalCount
    hits { score highlights product { id name price { amount currency } inStock rating } }
  }
}`;

export const CART = `query Cart {
  cart { itemCount subtotal { amount currency } items { quantity lineTotal { amount } product { id name price { amount } inStock } } }
}`;

/** The storefront's product page as it asks: the product first, statistics and reviews deferred. */
export const PRODUCT_PAGE_DEFERRED = `query ProductPageDeferred($id: ID!) {
  product(id: $id) {
    id name description price { amount currency } stock inStock rating images
    category { id name parent { name } } seller { id name }
    ... @defer(label: "ProductStats") { stats { window views sales } }
    ... @defer(label: "ProductReviews") {
      reviews(first: 10) { totalCount edges { node { rating text createdAt author { id name } } } }
    }
  }
}`;

/** The same page in one answer. */
export const PRODUCT_PAGE_WHOLE = `query ProductPageWhole($id: ID!) {
  product(id: $id) {
    id name description price { amount currency } stock inStock rating images
    category { id name parent { name } } seller { id name }
    stats { window views sales }
    reviews(first: 10) { totalCount edges { node { rating text createdAt author { id name } } } }
  }
}`;

import { index, route, type RouteConfig } from '@react-router/dev/routes';

export default [
  index('routes/catalog.tsx'),
  route('search', 'routes/search.tsx'),
  route('products/:id', 'routes/product.tsx'),
  route('sign-in', 'routes/sign-in.tsx'),
  route('register', 'routes/register.tsx'),
  route('account', 'routes/account.tsx'),
  route('account/addresses', 'routes/addresses.tsx'),
  route('cart', 'routes/cart.tsx'),
  route('checkout', 'routes/checkout.tsx'),
  route('orders', 'routes/orders.tsx'),
  route('orders/:id', 'routes/order.tsx'),
  route('seller', 'routes/seller.tsx'),
  route('seller/products/new', 'routes/seller-product-new.tsx'),
  route('seller/products/:id', 'routes/seller-product-edit.tsx'),
  route('admin/categories', 'routes/admin-categories.tsx'),
  route('manage/orders', 'routes/manage-orders.tsx'),
  route('*', 'routes/not-found.tsx'),
] satisfies RouteConfig;

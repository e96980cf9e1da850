import { html, type SafeHtml } from './html.ts';

/** What every template gets: the customer as the read model knows them now, and lookups. */
export interface TemplateContext<P> {
  customer: { name: string; email: string };
  /** The event's payload. */
  data: P;
  /** Product names by id (the lines of an order); absent ones render as "Product <id>". */
  productName(productId: string): string | undefined;
  shop: { name: string; url: string };
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export type Template<P> = (context: TemplateContext<P>) => RenderedEmail;

/** The order's short reference, as the storefront shows it. */
export const orderRef = (orderId: string) => orderId.slice(0, 8).toUpperCase();

export const productLabel = (context: TemplateContext<unknown>, productId: string) =>
  context.productName(productId) ?? `Product ${productId.slice(0, 8)}`;

/** The HTML page around a template's body: a heading, the body, the shop's footer. */
export function page(context: TemplateContext<unknown>, title: string, body: SafeHtml): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>${title}</title>
      </head>
      <body
        style="font-family: Arial, sans-serif; color: #1d2a33; max-width: 600px; margin: 0 auto; padding: 16px"
      >
        <h1 style="font-size: 20px">${title}</h1>
        <p>Hello ${context.customer.name},</p>
        ${body}
        <p style="color: #6b7780; font-size: 12px">
          ${context.shop.name} · <a href="${context.shop.url}">${context.shop.url}</a>
        </p>
      </body>
    </html> `.value;
}

/** The text part: greeting, paragraphs, footer. */
export function textPage(context: TemplateContext<unknown>, lines: string[]): string {
  return [
    `Hello ${context.customer.name},`,
    '',
    ...lines,
    '',
    `${context.shop.name} · ${context.shop.url}`,
    '',
  ].join('\n');
}

/** What a platform's reader needs from the hub: the shop's settings it reads with, and the sealing of addresses. */
export type ReaderContext = {
  /** The storefront's origin (a Shopify product's page is `{storefront}/products/{handle}`). */
  storefront: string
  /** The query parameter / order attribute that carries an affiliate click id (the site's setting). */
  clickParam: string
  /** The site's currency, for a payload that names none. */
  currency: string
  /** Seals a buyer's address (it is never stored or queued in the clear). */
  sealEmail: (email: string) => Promise<string>
}

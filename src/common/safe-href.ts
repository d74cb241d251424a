/** Only http(s) URLs are ever rendered as links: `javascript:`, `data:` and the like become plain text. */
export const safeHref = (url: string | null | undefined) => (url && /^https?:\/\//i.test(url) ? url : undefined)

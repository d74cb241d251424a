/**
 * The look of the pages shoppers see (the demo storefront, a response's public page): one
 * column, voice cards with a sentiment stripe, official answers indented under a rule.
 */
export const STOREFRONT_STYLE = `
body{font:16px/1.6 system-ui,sans-serif;max-width:760px;margin:2rem auto;padding:0 1rem;color:#222;background:#fff}
a{color:#1d3557}
.product{display:flex;gap:1rem;align-items:center;border-bottom:1px solid #ddd;padding-bottom:1rem}
.swatch{width:96px;height:96px;border-radius:8px;background:#1d3557}
.stats{background:#f4f4f4;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
ul.voices{list-style:none;padding:0}
.voice{border:1px solid #ddd;border-left:6px solid #999;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
.voice.positive{border-left-color:#2a9d8f}.voice.negative{border-left-color:#e63946}.voice.neutral{border-left-color:#e9c46a}
.meta span{font-size:.8rem;margin-right:.5rem;padding:.1rem .4rem;border-radius:4px;background:#eee}
.meta .label{background:#ffe8a3}
.voice h3{margin:.4rem 0;font-size:1.05rem}.by{color:#555;font-size:.85rem}
.responses{list-style:none;padding-left:1rem;border-left:3px solid #1d3557}
.response p{margin:.2rem 0 .6rem}.verdict{color:#1d3557;font-style:italic}
.photos img{object-fit:cover;border-radius:4px;margin-right:.3rem}
blockquote{margin:0}
.answer{border-left:3px solid #1d3557;padding-left:1rem;margin:1rem 0}
.answer .stage{display:inline-block;font-size:.8rem;padding:.1rem .5rem;border-radius:4px;background:#1d3557;color:#fff}
.shop{color:#555;font-size:.9rem}
`

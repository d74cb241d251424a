/**
 * The widget's stylesheet. Every colour and size is a custom property a shop may set on the
 * element (`glasshouse-voices { --gh-accent: #0a7 }`); parts are exposed for `::part()`. The
 * light colours are the host's; `.dark` on the root section (./scheme.ts decides) swaps them.
 */
export const STYLE = `
:host{display:block;container-type:inline-size;
--_font:var(--gh-font,system-ui,-apple-system,"Hiragino Sans","Noto Sans JP",sans-serif);
--_text:var(--gh-text,#1f2328);--_muted:var(--gh-muted,#59636e);--_bg:var(--gh-background,transparent);
--_card:var(--gh-card-background,#fff);--_border:var(--gh-border,#d1d9e0);--_accent:var(--gh-accent,#1d3557);
--_negative:var(--gh-negative,#c62828);--_positive:var(--gh-positive,#2a7d6f);--_neutral:var(--gh-neutral,#8a6a00);
--_label:var(--gh-label-background,#fff3c4);--_radius:var(--gh-radius,8px);
font:16px/1.55 var(--_font);background:var(--_bg)}
.dark{--_text:var(--gh-text,#e6edf3);--_muted:var(--gh-muted,#9198a1);--_card:var(--gh-card-background,#161b22);
--_border:var(--gh-border,#3d444d);--_accent:var(--gh-accent,#8cb4ff);--_negative:var(--gh-negative,#ff7b72);
--_positive:var(--gh-positive,#56d4bc);--_neutral:var(--gh-neutral,#e3b341);--_label:var(--gh-label-background,#3b2e00)}
*{box-sizing:border-box}
section{max-width:100%;color:var(--_text)}
h2{font-size:1.25em;margin:0 0 .5em}
h3{font-size:1em;margin:.25em 0}
a{color:var(--_accent)}
a:focus-visible,button:focus-visible,article:focus-visible{outline:3px solid var(--_accent);outline-offset:2px}
.summary{margin:0 0 .75em;color:var(--_muted)}
.summary span+span::before{content:" · "}
.filters{display:flex;flex-wrap:wrap;gap:.5em;margin:0 0 .75em}
button{font:inherit;color:var(--_text);background:var(--_card);border:1px solid var(--_border);border-radius:999px;padding:.35em .9em;min-height:44px;cursor:pointer}
button[aria-pressed=true]{background:var(--_accent);border-color:var(--_accent);color:var(--_card)}
ol{list-style:none;margin:0;padding:0}
li.voice{margin:0 0 .75em}
article{background:var(--_card);border:1px solid var(--_border);border-left:6px solid var(--_border);border-radius:var(--_radius);padding:.75em 1em}
.negative article{border-left-color:var(--_negative)}.positive article{border-left-color:var(--_positive)}.neutral article{border-left-color:var(--_neutral)}
.meta{display:flex;flex-wrap:wrap;gap:.35em .5em;font-size:.85em;color:var(--_muted);margin:0}
.tag{border:1px solid var(--_border);border-radius:4px;padding:0 .4em}
.sentiment{font-weight:600;border-color:currentColor}
.negative .sentiment{color:var(--_negative)}.positive .sentiment{color:var(--_positive)}.neutral .sentiment{color:var(--_neutral)}
.label{background:var(--_label);color:var(--_text);border-radius:4px;padding:0 .4em;font-weight:600}
.stars{color:var(--_neutral);letter-spacing:.05em}
.text{margin:.35em 0;white-space:pre-line}
.by{font-size:.85em;color:var(--_muted);margin:.25em 0}
.outside{unicode-bidi:isolate;overflow-wrap:anywhere}
.answers{margin:.6em 0 0;padding:0 0 0 .9em;border-left:3px solid var(--_accent);list-style:none}
.answers li{margin:.4em 0}
.stage{font-weight:600}
.verdict{font-style:italic;color:var(--_muted);margin:.4em 0 0}
.more{display:block;margin:.5em auto 0}
.status{min-height:1.5em;color:var(--_muted);font-size:.9em}
@media (prefers-reduced-motion:no-preference){button{transition:background-color .15s}}
`

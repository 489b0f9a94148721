/**
 * The canvas page's stylesheet, inline because the CSP allows no other source. Mobile first; every
 * colour pair meets WCAG AA (ink, muted and link colours on white, soft grey and the gap tint).
 *
 * Print keeps only the A3 sheet: one landscape page whose printable area (420 × 297 mm less 10 mm
 * margins) takes the figure, kept a little shorter than the area so rounding never spills a blank
 * second page. The selectors follow the page's structure: main > #synthesis > figure.sheet.
 *
 * The sheet is laid out with DejaVu Sans and Noto Emoji metrics; a browser without them gets them from
 * /canvas/fonts/ (see sheet-fonts-route.ts), so its lines stay inside their boxes there too.
 */
export const CANVAS_PAGE_STYLE = `
@font-face{font-family:"DejaVu Sans";font-weight:400;src:local("DejaVu Sans"),url(fonts/DejaVuSans.ttf) format("truetype")}
@font-face{font-family:"DejaVu Sans";font-weight:700;src:local("DejaVu Sans Bold"),url(fonts/DejaVuSans-Bold.ttf) format("truetype")}
@font-face{font-family:"Noto Emoji";src:local("Noto Emoji"),url(fonts/NotoEmoji.ttf) format("truetype")}
:root{color-scheme:light;--ink:#1a1a1a;--muted:#4d4d4d;--line:#8c8c8c;--rule:#d5d9de;--accent:#0b57d0;
--soft:#f3f5f7;--gap-ink:#7a3d00;--gap-bg:#fff3df;--ok:#1d6b3a}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;font:1rem/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--ink);
background:#fff;overflow-wrap:anywhere}
.wrap{max-width:72rem;margin:0 auto;padding:0 1rem}
a{color:var(--accent);text-underline-offset:.15em}
a:hover{text-decoration-thickness:2px}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
main:focus{outline:none}
.skip{position:absolute;left:.5rem;top:-10rem;z-index:10;padding:.6rem 1rem;background:var(--ink);color:#fff;
font-weight:600;border-radius:.3rem}
.skip:focus{top:.5rem}
.skip:focus-visible{outline:3px solid #fff;box-shadow:0 0 0 6px var(--ink)}
.top{background:var(--soft);border-bottom:1px solid var(--rule);padding:1.25rem 0 .75rem}
.kicker{margin:0;color:var(--muted);font-weight:600}
h1{font-size:clamp(1.6rem,6vw,2.4rem);line-height:1.2;margin:.2rem 0 .4rem}
h2{font-size:1.45rem;line-height:1.25;margin:2.5rem 0 .75rem;padding-top:.6rem;border-top:3px solid var(--ink)}
h3{font-size:1.1rem;line-height:1.3;margin:0 0 .3rem}
.meta{margin:0;color:var(--muted)}
.progress{margin:.75rem 0;max-width:36rem}
.progress label{display:block;font-weight:600}
.progress-text{font-weight:400;color:var(--muted)}
progress{display:block;width:100%;height:1rem;margin-top:.2rem;accent-color:var(--ok)}
nav ul,.downloads{display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;margin:.5rem 0 0;padding:0;list-style:none}
.downloads{gap:.6rem}
.button{display:inline-block;padding:.45rem .9rem;border:2px solid var(--accent);border-radius:.4rem;
font-weight:600;text-decoration:none;background:#fff}
.button:hover{background:#eef3fd}
.count{color:var(--muted);font-size:.9rem;font-weight:400;white-space:nowrap}
.gap-note,.gap-tag{color:var(--gap-ink);background:var(--gap-bg);border:2px dashed var(--gap-ink);
border-radius:.3rem;font-weight:600}
.gap-note{display:block;margin:.5rem 0;padding:.3rem .6rem}
.gap-tag{display:inline-block;margin-top:.2rem;padding:0 .4rem;font-size:.85rem}
.areas,.principles{display:grid;gap:1rem;grid-template-columns:minmax(0,1fr);margin:1rem 0;padding:0}
.area,.principle{border:1px solid var(--line);border-radius:.5rem;padding:.75rem 1rem;background:#fff;min-width:0}
.area--header{border-top:6px solid var(--ok)}
.area--footer{border-top:6px solid #5b3fa0}
.area-blocks{list-style:none;margin:0;padding:0}
.area-blocks>li{padding:.5rem 0;border-top:1px solid var(--rule)}
.excerpts{margin:.3rem 0 0;padding-left:1.1rem;font-size:.95rem}
.excerpts li{margin:.2rem 0}
.more{margin:.2rem 0 0;color:var(--muted);font-size:.9rem}
.who{color:var(--muted);font-size:.9rem}
.sheet{margin:1.5rem 0}
.sheet-scroll{overflow:auto;max-height:85vh;border:1px solid var(--line);border-radius:.4rem;background:#fff}
.sheet svg{display:block;width:100%;height:auto;min-width:40rem}
figcaption{margin-top:.4rem;color:var(--muted);font-size:.9rem}
.block{margin:1.25rem 0;padding:.5rem 0 .5rem 1rem;border-left:4px solid var(--rule)}
.block--gap{border-left:4px dashed var(--gap-ink);background:var(--gap-bg)}
.block-meta{margin:0;font-size:.9rem;color:var(--muted)}
.block-meta .count{font-size:inherit}
.question{margin:.4rem 0}
.statement{margin:.6rem 0;padding:.6rem .8rem;border-left:.3rem solid var(--ink);background:#fff}
.statement h4{margin:0 0 .3rem;font-size:.95rem}
.statement p{margin:0;white-space:pre-wrap;font-weight:600}
.statement--objected,.statement--draft,.statement--consent-open{border-left-style:dashed}
.answers{list-style:none;margin:.5rem 0 0;padding:0}
.answer{margin:.6rem 0;padding:.6rem .8rem;background:var(--soft);border-radius:.4rem}
.answer blockquote{margin:0;white-space:pre-wrap}
.answer .who{margin:.4rem 0 0}
.edited{display:inline-block;padding:0 .35rem;border:1px solid var(--muted);border-radius:.25rem;color:var(--ink);
font-style:italic}
.principles{list-style:none}
.principle--gap{border:2px dashed var(--gap-ink);background:var(--gap-bg)}
.principle ul{margin:.3rem 0 0;padding-left:1.1rem}
.covered{margin:.3rem 0;color:var(--ok);font-weight:600}
.people{display:flex;flex-wrap:wrap;gap:.4rem 1.5rem;padding:0;list-style:none}
.bottom{margin-top:3rem;padding:1rem 0;border-top:1px solid var(--rule);color:var(--muted);font-size:.9rem}
@media (min-width:48rem){
.areas,.principles{grid-template-columns:repeat(2,minmax(0,1fr))}
.area--header,.area--footer{grid-column:1/-1}
.area--header .area-blocks,.area--footer .area-blocks{display:grid;gap:0 1.25rem;
grid-template-columns:repeat(auto-fill,minmax(15rem,1fr))}
}
@media (min-width:72rem){.areas,.principles{grid-template-columns:repeat(3,minmax(0,1fr))}}
@page{size:A3 landscape;margin:10mm}
@media print{
html,body{margin:0;padding:0;background:#fff}
body>:not(main),main>:not(#synthesis),#synthesis>:not(.sheet),.sheet>figcaption{display:none!important}
#main,#synthesis{width:auto;max-width:none;margin:0;padding:0}
.sheet{margin:0;width:400mm;height:274mm;overflow:hidden;break-inside:avoid;-webkit-print-color-adjust:exact;print-color-adjust:exact}
.sheet-scroll{overflow:visible;max-height:none;width:100%;height:100%;border:0;border-radius:0}
.sheet svg{width:100%;height:100%;min-width:0}
}
`;

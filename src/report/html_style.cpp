#include "report/html_style.h"

namespace specgap::report {

const char* const kReportCss = R"css(
:root { --ink: #1f2933; --muted: #5f6b7a; --rule: #d9dee5; --bg: #ffffff; --band: #f3f5f8;
        --accent: #2563eb; --this: #dc2626; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: var(--bg);
       font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 960px; margin: 0 auto; padding: 0 24px 48px; }
header.report { border-bottom: 3px solid var(--ink); padding: 28px 0 14px; margin-bottom: 8px; }
header.report h1 { margin: 0 0 6px; font-size: 26px; letter-spacing: -0.01em; }
header.report .meta { color: var(--muted); font-size: 13px; margin: 0; }
header.report .meta span { margin-right: 16px; white-space: nowrap; }
.status { display: inline-block; padding: 1px 8px; border-radius: 10px; font-weight: 600; font-size: 12px;
          text-transform: uppercase; letter-spacing: 0.04em; background: #e6f4ea; color: #1e6b34; }
.status.interrupted, .status.failed, .status.running { background: #fdecea; color: #a61b1b; }
.banner { margin: 16px 0; padding: 12px 16px; border-left: 5px solid var(--this); background: #fdecea; }
nav.contents { font-size: 13px; margin: 10px 0 0; color: var(--muted); }
nav.contents a { color: var(--accent); text-decoration: none; margin-right: 12px; white-space: nowrap; }
section { padding-top: 18px; border-top: 1px solid var(--rule); margin-top: 26px; }
h2 { font-size: 20px; margin: 0 0 10px; }
h3 { font-size: 15px; margin: 20px 0 6px; color: var(--muted); text-transform: uppercase; letter-spacing: 0.05em; }
p.lead { margin: 0 0 10px; color: var(--muted); }
p.empty { color: var(--muted); font-style: italic; margin: 6px 0; }
p.note { color: var(--muted); font-size: 13px; margin: 2px 0; }
p.conclusion { margin: 4px 0 8px; }
.table-wrap { overflow-x: auto; margin: 10px 0 4px; }
table { border-collapse: collapse; font-size: 13px; width: 100%; }
caption { text-align: left; font-weight: 600; padding: 0 0 6px; }
th { text-align: left; font-weight: 600; border-bottom: 2px solid var(--ink); padding: 4px 10px 4px 0; white-space: nowrap; }
td { border-bottom: 1px solid var(--rule); padding: 4px 10px 4px 0; vertical-align: top; }
td.long { overflow-wrap: anywhere; min-width: 12em; }
th.num { text-align: right; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody tr:nth-child(even) td { background: #fafbfc; }
details.method { font-size: 13px; color: var(--muted); margin: 8px 0 0; }
details.method summary { cursor: pointer; font-weight: 600; }
details.method ul { margin: 4px 0 0; padding-left: 20px; }
ul.advice li { margin: 4px 0; }
svg.chart { display: block; max-width: 100%; height: auto; margin: 8px 0; font-family: inherit; }
svg .grid { stroke: #eceff3; stroke-width: 1; }
svg .axis { stroke: #9aa5b1; stroke-width: 1; }
svg .tick { font-size: 11px; fill: var(--muted); }
svg .axis-title, svg .panel-title { font-size: 12px; fill: var(--ink); font-weight: 600; }
svg .bar-label, svg .bar-value, svg .legend, svg .point-label, svg .roof-label, svg .slope-label,
svg .ridge-label, svg .band-label, svg .refline-label { font-size: 12px; fill: var(--ink); }
svg .ridge-label, svg .refline-label, svg .band-label { fill: var(--muted); font-size: 11px; }
/* A white halo keeps a label readable where it crosses a line or a band. */
svg .point-label, svg .roof-label, svg .slope-label, svg .ridge-label, svg .refline-label, svg .band-label {
  paint-order: stroke; stroke: #ffffff; stroke-width: 3px; stroke-linejoin: round; }
svg .mark.bar { fill: var(--accent); }
svg .mark.claim { fill: #f3f5f8; stroke: #9aa5b1; stroke-dasharray: 4 3; }
svg .mark.bar.near { fill: #2f855a; }
svg .mark.bar.short { fill: #d69e2e; }
svg .mark.bar.far { fill: #c53030; }
svg .mark.bar.prefill { fill: #2563eb; }
svg .mark.bar.decode { fill: #0d9488; }
svg .mark.bar.latency { fill: #7c3aed; }
svg .mark.bar.measured { fill: #64748b; }
svg .mark.bar.projection { fill: #ffffff; stroke: #64748b; stroke-width: 1.5; stroke-dasharray: 5 3; }
svg .mark.bar.this-machine { fill: var(--this); }
svg .band { fill: var(--band); }
svg .refline { stroke: #9aa5b1; stroke-dasharray: 3 3; }
svg polyline.line, svg polyline.roof { fill: none; stroke-width: 2; stroke-linejoin: round; }
svg .mark.point { stroke: #fff; stroke-width: 1; }
svg .ridge { stroke: #fff; stroke-width: 1.5; }
svg .mark.point.bound-memory { fill: #c53030; }
svg .mark.point.bound-compute { fill: #2f855a; }
svg .s0 { stroke: #2563eb; } svg .s1 { stroke: #0d9488; } svg .s2 { stroke: #d97706; }
svg .s3 { stroke: #c026d3; } svg .s4 { stroke: #dc2626; } svg .s5 { stroke: #4b5563; }
svg circle.s0, svg rect.s0 { fill: #2563eb; } svg circle.s1, svg rect.s1 { fill: #0d9488; }
svg circle.s2, svg rect.s2 { fill: #d97706; } svg circle.s3, svg rect.s3 { fill: #c026d3; }
svg circle.s4, svg rect.s4 { fill: #dc2626; } svg circle.s5, svg rect.s5 { fill: #4b5563; }
footer { margin-top: 36px; color: var(--muted); font-size: 12px; }
@media print {
  body { font-size: 12px; }
  main { max-width: none; padding: 0; }
  nav.contents { display: none; }
  svg.chart, .table-wrap, details.method { break-inside: avoid; }
  tbody tr:nth-child(even) td { background: none; }
}
)css";

}  // namespace specgap::report

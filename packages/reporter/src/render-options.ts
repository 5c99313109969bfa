/** Parts of a rendered report that can be left out (Markdown and HTML; JSON is always whole). */
export const REPORT_PARTS = [
  'summary',
  'services',
  'budgets',
  'burnRates',
  'trends',
  'breaches',
  'policyActions',
  'alerts',
  'charts',
] as const
/** One of {@link REPORT_PARTS}. `charts` are the HTML page's SVG charts; `trends` include forecasts and sparklines. */
export type ReportPart = (typeof REPORT_PARTS)[number]

/** Options of `toMarkdown` and `toHTML`. */
export interface RenderOptions {
  /** The parts to show; all by default. */
  readonly include?: readonly ReportPart[] | undefined
}

/** Whether a part is shown under the options. */
export function shows(options: RenderOptions, part: ReportPart): boolean {
  return options.include === undefined || options.include.includes(part)
}

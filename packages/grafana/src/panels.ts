// Small wrappers over the foundation SDK's panel builders: the settings every slokit panel
// shares (datasource, instant or range targets with explicit refIds, units, thresholds), and a
// grid layout that never lets a panel run past the 24 columns.

import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge'
import type * as cog from '@grafana/grafana-foundation-sdk/cog'
import {
  BarGaugeDisplayMode,
  BigValueColorMode,
  BigValueGraphMode,
  BigValueTextMode,
  GraphDrawStyle,
  GraphThresholdsStyleConfigBuilder,
  GraphThresholdsStyleMode,
  LegendDisplayMode,
  LegendPlacement,
  ReduceDataOptionsBuilder,
  SortOrder,
  StackingConfigBuilder,
  StackingMode,
  TooltipDisplayMode,
  VizLegendOptionsBuilder,
  VizOrientation,
  VizTooltipOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common'
import {
  type DataTransformerConfig,
  MappingType,
  type Panel,
  PanelBuilder,
  RowBuilder,
  type RowPanel,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  type ValueMapping,
} from '@grafana/grafana-foundation-sdk/dashboard'
import * as gauge from '@grafana/grafana-foundation-sdk/gauge'
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus'
import * as stat from '@grafana/grafana-foundation-sdk/stat'
import * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline'
import * as table from '@grafana/grafana-foundation-sdk/table'
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries'

/** The panels' datasource: the dashboard's `datasource` variable. */
export const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const

/** A threshold step: from `value` up (the first step's `value` is `null`: everything below). */
export interface Step {
  readonly value: number | null
  readonly color: string
}

/** One query of a panel. */
export interface TargetSpec {
  readonly expr: string
  readonly legend?: string | undefined
  /** An instant query (the value now), else a range query. */
  readonly instant?: boolean | undefined
  /** A table-format query (for the table panel). */
  readonly table?: boolean | undefined
}

/** Options of {@link alertListPanel}. */
export interface AlertListSpec {
  readonly title: string
  readonly description: string
  /** Alertmanager-style matchers on the alert instances' labels, e.g. `{slo="x"}`; dashboard variables are interpolated. */
  readonly labelFilter: string
  /** Also list rules that are not firing (Normal), to see which rules exist. */
  readonly showNormal?: boolean | undefined
}

/**
 * Grafana's "Alert list" panel (`alertlist`, unified alerting): the alert instances of
 * Grafana-managed rules, which never reach Prometheus's `ALERTS` series.
 */
export function alertListPanel(spec: AlertListSpec): PanelBuilder {
  return new PanelBuilder()
    .type('alertlist')
    .title(spec.title)
    .description(spec.description)
    .options({
      viewMode: 'list',
      groupMode: 'default',
      groupBy: [],
      maxItems: 20,
      sortOrder: 3, // importance: firing first
      dashboardAlerts: false,
      alertName: '',
      showInstances: true,
      alertInstanceLabelFilter: spec.labelFilter,
      stateFilter: {
        firing: true,
        pending: true,
        recovering: true,
        noData: true,
        error: true,
        normal: spec.showNormal === true,
      },
    })
}

/** A panel before layout: its builder and its size in grid units. */
export interface Sized {
  readonly panel: cog.Builder<Panel>
  readonly w: number
  readonly h: number
}

/** A row of panels before layout. */
export interface RowSpec {
  readonly title: string
  readonly panels: readonly Sized[]
}

const REF_IDS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'

function targets(specs: readonly TargetSpec[]): cog.Builder<cog.Dataquery>[] {
  return specs.map((spec, index) => {
    const query = new DataqueryBuilder()
      .datasource(DATASOURCE)
      .refId(REF_IDS[index] as string)
      .expr(spec.expr)
    if (spec.instant === true) query.instant()
    else query.range()
    if (spec.legend !== undefined) query.legendFormat(spec.legend)
    if (spec.table === true) query.format(PromQueryFormat.Table)
    return query
  })
}

function thresholds(steps: readonly Step[]): ThresholdsConfigBuilder {
  return new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps.map((s) => ({ ...s })))
}

/** Common options of the panel helpers. */
export interface PanelSpec {
  readonly title: string
  readonly description: string
  readonly targets: readonly TargetSpec[]
  readonly unit?: string | undefined
  readonly decimals?: number | undefined
  readonly min?: number | undefined
  readonly max?: number | undefined
  readonly steps?: readonly Step[] | undefined
  readonly mappings?: readonly ValueMapping[] | undefined
  readonly noValue?: string | undefined
  /** A relative time override such as `30d`: the panel shows the last 30 days whatever the dashboard range. */
  readonly timeFrom?: string | undefined
  readonly overrides?:
    | ReadonlyArray<{
        readonly name: string
        readonly properties: ReadonlyArray<{ id: string; value: unknown }>
      }>
    | undefined
}

type Common = {
  datasource(ds: typeof DATASOURCE): unknown
  title(t: string): unknown
  description(d: string): unknown
  targets(t: cog.Builder<cog.Dataquery>[]): unknown
  unit(u: string): unknown
  decimals(d: number): unknown
  min(m: number): unknown
  max(m: number): unknown
  thresholds(t: ThresholdsConfigBuilder): unknown
  mappings(m: ValueMapping[]): unknown
  noValue(n: string): unknown
  timeFrom(t: string): unknown
  overrideByName(name: string, properties: Array<{ id: string; value: unknown }>): unknown
}

function common<B extends Common>(builder: B, spec: PanelSpec): B {
  builder.datasource(DATASOURCE)
  builder.title(spec.title)
  builder.description(spec.description)
  builder.targets(targets(spec.targets))
  if (spec.unit !== undefined) builder.unit(spec.unit)
  if (spec.decimals !== undefined) builder.decimals(spec.decimals)
  if (spec.min !== undefined) builder.min(spec.min)
  if (spec.max !== undefined) builder.max(spec.max)
  if (spec.steps !== undefined) builder.thresholds(thresholds(spec.steps))
  if (spec.mappings !== undefined) builder.mappings([...spec.mappings])
  if (spec.noValue !== undefined) builder.noValue(spec.noValue)
  if (spec.timeFrom !== undefined) builder.timeFrom(spec.timeFrom)
  for (const override of spec.overrides ?? []) {
    builder.overrideByName(
      override.name,
      override.properties.map((p) => ({ ...p })),
    )
  }
  return builder
}

const lastValue = () => new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false)

/** A big number (or one per series), coloured by its thresholds. */
export function statPanel(spec: PanelSpec & { readonly graph?: boolean }): stat.PanelBuilder {
  return common(new stat.PanelBuilder(), spec)
    .reduceOptions(lastValue())
    .colorMode(BigValueColorMode.Value)
    .graphMode(spec.graph === true ? BigValueGraphMode.Area : BigValueGraphMode.None)
    .textMode(BigValueTextMode.Auto)
    .orientation(VizOrientation.Auto)
}

/** A dial, for one value between `min` and `max`. */
export function gaugePanel(spec: PanelSpec): gauge.PanelBuilder {
  return common(new gauge.PanelBuilder(), spec)
    .reduceOptions(lastValue())
    .showThresholdMarkers(true)
    .showThresholdLabels(false)
}

/** Horizontal bars, one per series, between `min` and `max`. */
export function barGaugePanel(spec: PanelSpec): bargauge.PanelBuilder {
  return common(new bargauge.PanelBuilder(), spec)
    .reduceOptions(lastValue())
    .displayMode(BarGaugeDisplayMode.Basic)
    .orientation(VizOrientation.Horizontal)
    .showUnfilled(true)
}

/** Lines over time; thresholds drawn as dashed lines when `thresholdLines`. */
export function timeSeriesPanel(
  spec: PanelSpec & {
    readonly thresholdLines?: boolean
    readonly stacked?: boolean
    readonly bars?: boolean
    readonly softMin?: number
    readonly softMax?: number
  },
): timeseries.PanelBuilder {
  const builder = common(new timeseries.PanelBuilder(), spec)
    .legend(
      new VizLegendOptionsBuilder()
        .displayMode(LegendDisplayMode.Table)
        .placement(LegendPlacement.Right)
        .showLegend(true)
        .calcs(['lastNotNull', 'max']),
    )
    .tooltip(new VizTooltipOptionsBuilder().mode(TooltipDisplayMode.Multi).sort(SortOrder.Descending))
    .drawStyle(spec.bars === true ? GraphDrawStyle.Bars : GraphDrawStyle.Line)
    .lineWidth(1)
    .fillOpacity(spec.stacked === true ? 60 : 0)
    .spanNulls(false)
  if (spec.thresholdLines === true) {
    builder.thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed))
  }
  if (spec.stacked === true) builder.stacking(new StackingConfigBuilder().mode(StackingMode.Normal))
  if (spec.softMin !== undefined) builder.axisSoftMin(spec.softMin)
  if (spec.softMax !== undefined) builder.axisSoftMax(spec.softMax)
  return builder
}

/** States over time (alerts firing, freezes), one lane per series. */
export function stateTimelinePanel(spec: PanelSpec): statetimeline.PanelBuilder {
  return common(new statetimeline.PanelBuilder(), spec)
    .showValue('never' as never)
    .mergeValues(true)
    .rowHeight(0.8)
    .legend(
      new VizLegendOptionsBuilder()
        .displayMode(LegendDisplayMode.List)
        .placement(LegendPlacement.Bottom)
        .showLegend(true),
    )
}

/** A table joining instant table-format queries on their labels. */
export function tablePanel(
  spec: PanelSpec & { readonly transformations: readonly DataTransformerConfig[] },
): table.PanelBuilder {
  const builder = common(new table.PanelBuilder(), spec).showHeader(true)
  builder.transformations(spec.transformations.map((t) => ({ ...t })))
  return builder
}

/** Value mappings of a 0/1 state. */
export function stateMappings(
  off: { text: string; color: string },
  on: { text: string; color: string },
): ValueMapping[] {
  return [
    {
      type: MappingType.ValueToText,
      options: {
        '0': { text: off.text, color: off.color, index: 0 },
        '1': { text: on.text, color: on.color, index: 1 },
      },
    },
  ]
}

/** Grafana's grid width. */
export const GRID_WIDTH = 24

/**
 * Places rows and their panels on the grid: each row on a line of its own, its panels left to
 * right, wrapping to a new line before a panel would pass column 24. Panel ids count from 1.
 */
export function layout(rows: readonly RowSpec[]): Array<cog.Builder<Panel> | cog.Builder<RowPanel>> {
  const out: Array<cog.Builder<Panel> | cog.Builder<RowPanel>> = []
  let y = 0
  let id = 1
  for (const row of rows) {
    out.push(new RowBuilder(row.title).id(id++).collapsed(false).gridPos({ x: 0, y, w: GRID_WIDTH, h: 1 }))
    y += 1
    let x = 0
    let lineHeight = 0
    for (const { panel, w, h } of row.panels) {
      const width = Math.min(Math.max(1, Math.round(w)), GRID_WIDTH)
      if (x + width > GRID_WIDTH) {
        y += lineHeight
        x = 0
        lineHeight = 0
      }
      const positioned = panel as cog.Builder<Panel> & {
        gridPos(g: { x: number; y: number; w: number; h: number }): unknown
        id(n: number): unknown
      }
      positioned.gridPos({ x, y, w: width, h })
      positioned.id(id++)
      out.push(positioned)
      x += width
      lineHeight = Math.max(lineHeight, h)
    }
    y += lineHeight
  }
  return out
}

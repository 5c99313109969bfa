/** What a document that is not slokit's appears to be, and how to get it into slokit. */
export interface ForeignDocument {
  readonly what: string
  readonly hint: string
}

/**
 * Recognises the SLO formats people are likely to feed slokit by mistake (OpenSLO, Sloth, Pyrra,
 * Kubernetes manifests), so the error says what the file is instead of listing unknown keys.
 */
export function identifyForeignDocument(
  value: Readonly<Record<string, unknown>>,
): ForeignDocument | undefined {
  const apiVersion = typeof value.apiVersion === 'string' ? value.apiVersion : undefined
  const kind = typeof value.kind === 'string' ? value.kind : undefined
  if (apiVersion?.startsWith('openslo/')) {
    return {
      what: `this is an OpenSLO ${apiVersion} document${kind === undefined ? '' : ` (kind ${kind})`}`,
      hint: 'slokit config documents start with `apiVersion: slokit/v1`; OpenSLO import is `@slokit/openslo`',
    }
  }
  if (value.version === 'prometheus/v1') {
    return {
      what: 'this is a Sloth `prometheus/v1` spec',
      hint: 'slokit config documents start with `apiVersion: slokit/v1`; Sloth specs are read by `@slokit/prometheus`',
    }
  }
  if (apiVersion?.startsWith('sloth.slok.dev/')) {
    return {
      what: `this is a Sloth Kubernetes resource${kind === undefined ? '' : ` (kind ${kind})`}`,
      hint: 'slokit config documents start with `apiVersion: slokit/v1`; Sloth specs are read by `@slokit/prometheus`',
    }
  }
  if (apiVersion?.startsWith('pyrra.dev/')) {
    return {
      what: `this is a Pyrra ${kind ?? 'resource'}`,
      hint: 'slokit config documents start with `apiVersion: slokit/v1`',
    }
  }
  if (apiVersion?.includes('/') === true && kind !== undefined) {
    return {
      what: `this is a Kubernetes-style ${kind} (${apiVersion})`,
      hint: 'slokit config documents start with `apiVersion: slokit/v1`',
    }
  }
  return undefined
}

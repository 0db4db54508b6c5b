// Label selectors (full string grammar and the structured LabelSelector) and field selectors.
import { badRequest } from "./errors.js";
import { type KubeObject, type LabelSelector } from "./types.js";

export type Requirement =
  | { key: string; op: "=" | "!="; value: string }
  | { key: string; op: "in" | "notin"; values: string[] }
  | { key: string; op: "exists" | "!exists" };

export type Matcher = (labels: Record<string, string> | undefined) => boolean;

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Splits on commas that are not inside parentheses. */
function splitTerms(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of s) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out.map((x) => x.trim()).filter((x) => x !== "");
}

function checkKey(key: string, src: string) {
  if (!KEY.test(key)) throw badRequest(`unable to parse requirement: invalid label key "${key}" in selector "${src}"`);
}
function checkValue(v: string, src: string) {
  if (!VALUE.test(v) || v.length > 63) throw badRequest(`unable to parse requirement: invalid label value "${v}" in selector "${src}"`);
}

export function parseLabelSelector(src: string): Requirement[] {
  const reqs: Requirement[] = [];
  for (const term of splitTerms(src)) {
    let m: RegExpMatchArray | null;
    if ((m = term.match(/^(\S+?)\s+(in|notin)\s*\(([^)]*)\)$/))) {
      const [, key = "", op, list = ""] = m;
      checkKey(key, src);
      const values = list.split(",").map((v) => v.trim()).filter((v) => v !== "");
      values.forEach((v) => checkValue(v, src));
      reqs.push({ key, op: op as "in" | "notin", values });
    } else if ((m = term.match(/^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/))) {
      const [, key = "", op, value = ""] = m;
      checkKey(key, src);
      checkValue(value, src);
      reqs.push({ key, op: op === "!=" ? "!=" : "=", value });
    } else if ((m = term.match(/^!\s*(\S+)$/))) {
      checkKey(m[1] ?? "", src);
      reqs.push({ key: m[1] ?? "", op: "!exists" });
    } else if (KEY.test(term)) {
      reqs.push({ key: term, op: "exists" });
    } else {
      throw badRequest(`unable to parse requirement: unable to parse "${term}" in selector "${src}"`);
    }
  }
  return reqs;
}

export function matchRequirements(reqs: Requirement[], labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  for (const r of reqs) {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case "=":
        if (v !== r.value) return false;
        break;
      case "!=":
        if (v === r.value) return false;
        break;
      case "in":
        if (!has || !r.values.includes(v ?? "")) return false;
        break;
      case "notin":
        if (has && r.values.includes(v ?? "")) return false;
        break;
      case "exists":
        if (!has) return false;
        break;
      case "!exists":
        if (has) return false;
        break;
    }
  }
  return true;
}

export function labelSelectorFromString(src: string | undefined | null): Matcher {
  if (!src) return () => true;
  const reqs = parseLabelSelector(src);
  return (labels) => matchRequirements(reqs, labels);
}

/** A structured LabelSelector (Deployment.spec.selector). An empty selector matches everything. */
export function labelSelectorFromObject(sel: LabelSelector | undefined): Matcher {
  if (!sel) return () => false;
  const reqs: Requirement[] = [];
  for (const [key, value] of Object.entries(sel.matchLabels ?? {})) reqs.push({ key, op: "=", value });
  for (const e of sel.matchExpressions ?? []) {
    if (e.operator === "In") reqs.push({ key: e.key, op: "in", values: e.values ?? [] });
    else if (e.operator === "NotIn") reqs.push({ key: e.key, op: "notin", values: e.values ?? [] });
    else if (e.operator === "Exists") reqs.push({ key: e.key, op: "exists" });
    else reqs.push({ key: e.key, op: "!exists" });
  }
  return (labels) => matchRequirements(reqs, labels);
}

/** `app=web,tier in (a,b)` — the string form used in Scale.status.selector and kubectl output. */
export function labelSelectorToString(sel: LabelSelector | undefined): string {
  if (!sel) return "";
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    if (e.operator === "In") parts.push(`${e.key} in (${(e.values ?? []).join(",")})`);
    else if (e.operator === "NotIn") parts.push(`${e.key} notin (${(e.values ?? []).join(",")})`);
    else if (e.operator === "Exists") parts.push(e.key);
    else parts.push(`!${e.key}`);
  }
  return parts.join(",");
}

export type FieldMatcher = (obj: KubeObject) => boolean;

function fieldValue(obj: KubeObject, path: string): string {
  let cur: unknown = obj;
  for (const part of path.split(".")) {
    if (typeof cur !== "object" || cur === null) return "";
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur === undefined || cur === null) return "";
  return String(cur);
}

/** Field selectors: `metadata.name=x,status.phase!=Running`; any dotted path into the object. */
export function fieldSelectorFromString(src: string | undefined | null): FieldMatcher {
  if (!src) return () => true;
  const terms: { path: string; neg: boolean; value: string }[] = [];
  for (const term of splitTerms(src)) {
    const m = term.match(/^([A-Za-z0-9_.]+)\s*(==|=|!=)\s*(.*)$/);
    if (!m) throw badRequest(`invalid field selector: '${term}'`);
    terms.push({ path: m[1] ?? "", neg: m[2] === "!=", value: m[3] ?? "" });
  }
  return (obj) => terms.every((t) => (fieldValue(obj, t.path) === t.value) !== t.neg);
}

/** Fast path: the exact name a `metadata.name=` selector pins, if any. */
export function fieldSelectorName(src: string | undefined | null): string | undefined {
  if (!src) return undefined;
  for (const term of splitTerms(src)) {
    const m = term.match(/^metadata\.name\s*==?\s*(.*)$/);
    if (m) return m[1];
  }
  return undefined;
}

import { describe, expect, it } from "vitest";
import { csvField, parseCsv } from "./csv";

describe("parseCsv", () => {
  it("reads quoted fields with commas, doubled quotes and line breaks, numbering records by their first line", () => {
    const parsed = parseCsv('type,name,notes\r\nteam,"Payments, EU","says ""hi""\nand more"\nteam,Ops,\n');
    expect(parsed).toEqual({
      records: [
        { line: 1, fields: ["type", "name", "notes"] },
        { line: 2, fields: ["team", "Payments, EU", 'says "hi"\nand more'] },
        { line: 4, fields: ["team", "Ops", ""] },
      ],
    });
  });

  it("skips blank lines and a byte-order mark", () => {
    expect(parseCsv("\ufeffa,b\n\n1,2")).toEqual({ records: [{ line: 1, fields: ["a", "b"] }, { line: 3, fields: ["1", "2"] }] });
  });

  it("names the line of a malformed quote", () => {
    expect(parseCsv('a,b\n1,"open')).toEqual({ error: { line: 2, message: "a quoted field is not closed" } });
    expect(parseCsv('a,b\n1,x"y"')).toEqual({ error: { line: 2, message: "a quote may only open a field" } });
    expect(parseCsv('a\n"x"y')).toEqual({ error: { line: 2, message: "a closing quote must end the field" } });
  });
});

describe("csvField", () => {
  it("quotes what must be quoted and defuses formulas", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField({ a: 1 })).toBe('"{""a"":1}"');
    expect(csvField(null)).toBe("");
  });
});

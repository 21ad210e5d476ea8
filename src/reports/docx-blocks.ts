import {
  AlignmentType,
  BorderStyle,
  Header,
  HeightRule,
  LeaderType,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  Tab,
  TabStopType,
  TextRun,
  VerticalAlign,
  WidthType,
  type IBorderOptions,
  type ISectionOptions,
  type IStylesOptions,
} from "docx";

// The pieces of an administrative document as Decree 30/2020 lays them out (Appendix I): A4, fixed
// margins, Times New Roman in black, sizes in half-points as Word stores them.

export const FONT = "Times New Roman";
/** A4 in twips (1 mm ≈ 56.7). */
export const PAGE = { width: 11906, height: 16838 } as const;
/** Top and bottom 20 mm, left 30 mm, right 15 mm: the decree's smallest, to keep the tables wide. */
export const MARGIN = { top: 1134, bottom: 1134, left: 1701, right: 850, header: 567, footer: 567 } as const;
export const TEXT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
/** 13 pt for the body, 12 pt in dense tables, 11 pt for the list of recipients. */
export const SIZE = { body: 26, motto: 28, table: 24, nation: 24, recipients: 22, recipientsHead: 24 } as const;
const BLACK = "000000";
/** Body paragraphs: first-line indent 1 cm, 6 pt after. */
const INDENT = 567;

export interface TextOptions {
  bold?: boolean;
  italics?: boolean;
  size?: number;
}

/** Runs of one text; a new line is a break inside the paragraph, as notes keep their lines. */
export function runs(text: string, options: TextOptions = {}): TextRun[] {
  return text.split("\n").map(
    (line, i) =>
      new TextRun({
        text: line,
        font: FONT,
        bold: options.bold,
        italics: options.italics,
        size: options.size,
        break: i > 0 ? 1 : 0,
      }),
  );
}

export interface ParagraphOptions extends TextOptions {
  align?: "left" | "center" | "right" | "justify";
  /** A body paragraph: justified with the first line indented. */
  body?: boolean;
  before?: number;
  after?: number;
  keepNext?: boolean;
}

const ALIGN = {
  left: AlignmentType.LEFT,
  center: AlignmentType.CENTER,
  right: AlignmentType.RIGHT,
  justify: AlignmentType.JUSTIFIED,
} as const;

export function para(content: string | TextRun[], options: ParagraphOptions = {}): Paragraph {
  const align = options.align ?? (options.body ? "justify" : undefined);
  return new Paragraph({
    children: typeof content === "string" ? runs(content, options) : content,
    ...(align && { alignment: ALIGN[align] }),
    ...(options.body && { indent: { firstLine: INDENT } }),
    spacing: { before: options.before ?? 0, after: options.after ?? 120 },
    ...(options.keepNext && { keepNext: true }),
  });
}

/** A heading of the body ("I. …", "1. …", "a) …"): bold, kept with what follows. */
export function heading(text: string, options: { bold?: boolean } = {}): Paragraph {
  return new Paragraph({
    children: runs(text, { bold: options.bold ?? true }),
    alignment: AlignmentType.JUSTIFIED,
    indent: { firstLine: INDENT },
    spacing: { before: 120, after: 120 },
    keepNext: true,
  });
}

/** A short horizontal rule, centred in a column `within` twips wide: a bottom border on an empty line. */
export function rule(width: number, within: number): Paragraph {
  const side = Math.max(0, Math.round((within - width) / 2));
  return new Paragraph({
    children: [new TextRun({ text: "", font: FONT, size: 2 })],
    indent: { left: side, right: side },
    spacing: { before: 90, after: 0, line: 20, lineRule: "exact" },
    border: { top: { style: BorderStyle.SINGLE, size: 6, color: BLACK, space: 1 } },
  });
}

/** A line of dots across the text width, where the author writes: a right tab with a dotted leader. */
export function dottedLine(): Paragraph {
  return new Paragraph({
    children: [new TextRun({ children: [new Tab()], font: FONT })],
    tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH, leader: LeaderType.DOT }],
    spacing: { before: 0, after: 120 },
  });
}

const LINE: IBorderOptions = { style: BorderStyle.SINGLE, size: 4, color: BLACK };
const NO_LINE: IBorderOptions = { style: BorderStyle.NONE, size: 0, color: "auto" };
const all = (border: IBorderOptions) => ({
  top: border,
  bottom: border,
  left: border,
  right: border,
  insideHorizontal: border,
  insideVertical: border,
});

export type CellContent = string | Paragraph[];

function cellParagraphs(content: CellContent, options: TextOptions & { align?: ParagraphOptions["align"] }) {
  if (typeof content !== "string") return content;
  return [para(content, { ...options, after: 0 })];
}

export interface GridColumn {
  /** Width in twips; the columns together fill the text width. */
  width: number;
  align?: ParagraphOptions["align"];
}

/**
 * A ruled table with fixed column widths, its header row bold, centred and repeated on every page:
 * Word's automatic widths gave every column the same share, so duty texts wrapped every two words.
 */
export function grid(
  columns: readonly GridColumn[],
  header: readonly string[],
  rows: readonly CellContent[][],
  size: number = SIZE.table,
): Table {
  const row = (cells: readonly CellContent[], isHeader: boolean) =>
    new TableRow({
      tableHeader: isHeader,
      cantSplit: isHeader,
      children: cells.map(
        (content, i) =>
          new TableCell({
            width: { size: columns[i]!.width, type: WidthType.DXA },
            verticalAlign: isHeader ? VerticalAlign.CENTER : VerticalAlign.TOP,
            margins: { top: 40, bottom: 40, left: 80, right: 80 },
            children: cellParagraphs(content, {
              size,
              bold: isHeader,
              align: isHeader ? "center" : columns[i]!.align,
            }),
          }),
      ),
    });
  return new Table({
    width: { size: columns.reduce((sum, c) => sum + c.width, 0), type: WidthType.DXA },
    columnWidths: columns.map((c) => c.width),
    layout: TableLayoutType.FIXED,
    borders: all(LINE),
    rows: [row(header, true), ...rows.map((r) => row(r, false))],
  });
}

/** A table without lines, for the header and the closing: columns of paragraphs side by side. */
export function layout(widths: readonly number[], cells: readonly Paragraph[][]): Table {
  return new Table({
    width: { size: widths.reduce((sum, w) => sum + w, 0), type: WidthType.DXA },
    columnWidths: [...widths],
    layout: TableLayoutType.FIXED,
    borders: all(NO_LINE),
    rows: [
      new TableRow({
        cantSplit: true,
        height: { value: 0, rule: HeightRule.AUTO },
        children: cells.map(
          (children, i) =>
            new TableCell({
              width: { size: widths[i]!, type: WidthType.DXA },
              margins: { top: 0, bottom: 0, left: 0, right: 0 },
              borders: { top: NO_LINE, bottom: NO_LINE, left: NO_LINE, right: NO_LINE },
              children,
            }),
        ),
      }),
    ],
  });
}

/**
 * Times New Roman 13 pt in black everywhere. The library's built-in heading and link styles are
 * coloured; they are redefined black even though the draft uses none of them, so no colour can
 * appear if someone applies one in Word.
 */
export function blackStyles(): IStylesOptions {
  const black = { run: { color: BLACK, font: FONT } };
  return {
    default: {
      document: { run: { font: FONT, size: SIZE.body, color: BLACK } },
      title: black,
      heading1: black,
      heading2: black,
      heading3: black,
      heading4: black,
      heading5: black,
      heading6: black,
      hyperlink: { run: { color: BLACK } },
    },
  };
}

/** The page number, centred in the top margin, on every page but the first (titlePage). */
function pageNumberHeader(): Header {
  return new Header({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [new TextRun({ children: [PageNumber.CURRENT], font: FONT, size: SIZE.body })],
      }),
    ],
  });
}

export function pageSection(children: ISectionOptions["children"], restartNumbers: boolean): ISectionOptions {
  return {
    properties: {
      titlePage: true,
      page: {
        size: { width: PAGE.width, height: PAGE.height },
        margin: MARGIN,
        ...(restartNumbers && { pageNumbers: { start: 1 } }),
      },
    },
    headers: { default: pageNumberHeader(), first: new Header({ children: [] }) },
    children,
  };
}

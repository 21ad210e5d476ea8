import JSZip from "jszip";

/**
 * exceljs and docx stamp the document properties and the zip entries with the wall clock;
 * restamping them with the export's own time makes the same data give the same bytes (and a
 * rehearsal with --now say when it was made).
 */
export async function stampedAt(file: Uint8Array, at: Date): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(file);
  const iso = `${at.toISOString().slice(0, 19)}Z`;
  const core = zip.file("docProps/core.xml");
  if (core) {
    const xml = (await core.async("string")).replace(
      /(<dcterms:(?:created|modified)[^>]*>)[^<]*(<\/dcterms:)/g,
      `$1${iso}$2`,
    );
    zip.file("docProps/core.xml", xml);
  }
  for (const entry of Object.values(zip.files)) entry.date = at;
  return new Uint8Array(await zip.generateAsync({ type: "uint8array", compression: "DEFLATE" }));
}

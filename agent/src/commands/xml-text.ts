/** @module Text for the XML files install writes (launchd property lists, the Windows service host's configuration). */

/** Escapes text for an XML element or a quoted attribute; refuses what XML 1.0 cannot hold at all. */
export function escapeXml(s: string): string {
  // eslint-disable-next-line no-control-regex -- these code points cannot appear in an XML 1.0 document
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(s)) throw new Error(`not representable in XML: ${JSON.stringify(s)}`);
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

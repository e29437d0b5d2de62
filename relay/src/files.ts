/**
 * What the relay makes of the files agents send.
 *
 * @module
 */

/** The longest file name kept, in characters (the extension included). */
export const maxFileNameLength = 120;

// Control characters (C0, DEL, C1), and the marks that reorder text (a right-to-left override turns "cod.exe" into "exe.doc" on screen).
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const invisible = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
// Path separators and what file systems, shells or markup read as their own.
const reserved = /[\\/<>:"|?*]/g;

/**
 * A file name safe to pass on and to show: line breaks and tabs become
 * spaces, no control or direction characters, no path (`../`, `\`) or markup characters (each becomes `_`),
 * no leading dots or spaces, at most {@link maxFileNameLength} characters
 * with its extension kept; `file` when nothing is left.
 */
export function cleanFileName(name: string): string {
  let clean = name.normalize('NFC').replace(/\s+/g, ' ').replace(invisible, '').replace(reserved, '_').trim().replace(/^[.\s]+/, '');
  if (clean.length > maxFileNameLength) {
    const dot = clean.lastIndexOf('.');
    const extension = dot > 0 && clean.length - dot <= 16 ? clean.slice(dot) : '';
    clean = [...clean.slice(0, clean.length - extension.length)].slice(0, maxFileNameLength - extension.length).join('').trimEnd() + extension;
  }
  return clean || 'file';
}

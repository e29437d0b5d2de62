// Real sample files for attachment tests, made in the browser. Large ones are
// built from repeated references to one small blob, so their size is never
// allocated in memory.

const bytes = (...values: (number | string)[]) =>
  Uint8Array.from(values.flatMap((v) => (typeof v === 'string' ? [...v].map((c) => c.charCodeAt(0)) : [v])));

const pngBytes = Uint8Array.from(
  atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC'),
  (c) => c.charCodeAt(0),
);

export const samples = {
  png: (name = 'photo.png') => new File([pngBytes], name, { type: 'image/png' }),
  jpeg: (name = 'photo.jpg') => new File([bytes(0xff, 0xd8, 0xff, 0xe0, 0, 16, 'JFIF', 0), new Uint8Array(200)], name, { type: 'image/jpeg' }),
  pdf: (name = 'invoice.pdf') => new File(['%PDF-1.4\n1 0 obj << >> endobj\n%%EOF'], name, { type: 'application/pdf' }),
  text: (name = 'notes.txt') => new File(['Kundens ordre: 4471 — tak! Xin cảm ơn.'], name, { type: 'text/plain' }),
  docx: (name = 'letter.docx') =>
    new File([bytes(0x50, 0x4b, 0x03, 0x04), new Uint8Array(26), '[Content_Types].xml', 'word/document.xml'], name, {
      type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    }),
  xls: (name = 'figures.xls') => new File([bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1), new Uint8Array(504)], name, { type: 'application/vnd.ms-excel' }),
  mp4: (name = 'clip.mp4') => new File([bytes(0, 0, 0, 0x18, 'ftypisom', 0, 0, 2, 0), new Uint8Array(100)], name, { type: 'video/mp4' }),
  mp3: (name = 'voice.mp3') => new File([bytes('ID3', 4, 0, 0, 0, 0, 0, 0), new Uint8Array(100)], name, { type: 'audio/mpeg' }),
  ogg: (name = 'voice.ogg') => new File([bytes('OggS', 0, 2), new Uint8Array(100)], name, { type: 'audio/ogg' }),
  amr: (name = 'voice.amr') => new File([bytes('#!AMR\n'), new Uint8Array(100)], name, { type: 'audio/amr' }),
  /** A Windows program renamed to look like a photo. */
  renamedExecutable: (name = 'photo.png') => new File([bytes('MZ', 0x90, 0, 3, 0), new Uint8Array(300)], name, { type: 'image/png' }),
  empty: (name = 'empty.pdf') => new File([], name, { type: 'application/pdf' }),
  program: (name = 'report.exe') => new File([bytes('MZ'), new Uint8Array(100)], name, { type: 'application/x-msdownload' }),
  /** `megabytes` MB of MP4 made of references to one 1 MB blob. */
  large: (megabytes: number, name = 'video.mp4') => {
    const head = new Blob([bytes(0, 0, 0, 0x18, 'ftypisom'), new Uint8Array(1024 * 1024 - 12)]);
    return new File(Array.from({ length: megabytes }, () => head), name, { type: 'video/mp4' });
  },
};

/** Puts files on a file input the way the file window does, and reports the change. */
export function chooseFiles(input: HTMLInputElement, ...files: File[]) {
  const transfer = new DataTransfer();
  files.forEach((file) => transfer.items.add(file));
  input.files = transfer.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

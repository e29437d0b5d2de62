import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { messengerAttachmentPolicy } from '../../src/adapters/facebook/channel.js';
import { allowedTypeLabels, checkAttachment, sniffBytes } from '../../src/core/policy.js';
import { samples } from '../samples.js';

const policy = messengerAttachmentPolicy;

describe('attachment policy check', () => {
  afterEach(() => sinon.restore());

  it('accepts real files of every type Messenger takes', async () => {
    for (const file of [samples.png(), samples.jpeg(), samples.pdf(), samples.text(), samples.docx(), samples.xls(), samples.mp4(), samples.mp3(), samples.ogg(), samples.amr()]) {
      const check = await checkAttachment(file, policy);
      expect(check, file.name).to.include({ ok: true });
    }
    expect(await checkAttachment(samples.png(), policy)).to.deep.equal({ ok: true, kind: 'image', mimeType: 'image/png' });
  });

  it('accepts Office files whose parts lie deep in the ZIP, and UTF-16 text', async () => {
    const deep = new File([new Uint8Array([0x50, 0x4b, 0x03, 0x04]), new Uint8Array(70_000), 'word/document.xml'], 'long.docx');
    expect(await checkAttachment(deep, policy)).to.include({ ok: true });
    const utf16 = new File([new Uint8Array([0xff, 0xfe, 0x48, 0, 0x69, 0])], 'hi.txt', { type: 'text/plain' });
    expect(await checkAttachment(utf16, policy)).to.include({ ok: true });
  });

  it('refuses an empty file', async () => {
    expect(await checkAttachment(samples.empty(), policy)).to.deep.equal({ ok: false, reason: 'empty' });
  });

  it('refuses a type the policy does not allow', async () => {
    expect(await checkAttachment(samples.program(), policy)).to.deep.equal({ ok: false, reason: 'type-not-allowed' });
  });

  it('refuses a file over the limit, and over a per-kind limit', async () => {
    expect(await checkAttachment(samples.large(26), policy)).to.deep.equal({ ok: false, reason: 'too-large', limit: 25 * 1024 * 1024 });
    const strict = { ...policy, maxBytesByKind: { image: 100 } };
    expect(await checkAttachment(samples.jpeg(), strict)).to.deep.include({ ok: false, reason: 'too-large', limit: 100 });
    expect(await checkAttachment(samples.pdf(), strict)).to.include({ ok: true });
  });

  it('refuses a renamed program, and content that does not match its name', async () => {
    expect(await checkAttachment(samples.renamedExecutable(), policy)).to.deep.equal({ ok: false, reason: 'content-mismatch', detected: 'application/x-executable' });
    expect(await checkAttachment(new File([await samples.pdf().arrayBuffer()], 'photo.jpg', { type: 'image/jpeg' }), policy)).to.deep.include({
      reason: 'content-mismatch',
      detected: 'application/pdf',
    });
    const binaryText = new File([new Uint8Array([0xc3, 0x28, 0, 1, 2])], 'notes.txt', { type: 'text/plain' });
    expect(await checkAttachment(binaryText, policy)).to.include({ reason: 'content-mismatch' });
  });

  it('refuses markup a browser would run, whatever it is called', async () => {
    const html = new File(['<!DOCTYPE html><script>alert(1)</script>'], 'notes.txt', { type: 'text/plain' });
    expect(await checkAttachment(html, policy)).to.deep.include({ reason: 'content-mismatch', detected: 'text/html' });
    const svg = new File(['<?xml version="1.0"?><svg onload="alert(1)"/>'], 'logo.png', { type: 'image/png' });
    const images = { maxBytes: 1e6, accept: ['image/*'] };
    expect(await checkAttachment(svg, images)).to.deep.include({ reason: 'content-mismatch', detected: 'image/svg+xml' });
    const svgAsSvg = new File(['<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'], 'logo.svg', { type: 'image/svg+xml' });
    expect(await checkAttachment(svgAsSvg, images), 'only if the policy takes SVG').to.include({ ok: true });
  });

  it('refuses programs of every platform and UTF-16 that is not text', async () => {
    const macho = new File([new Uint8Array([0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1])], 'tool.csv', { type: 'text/csv' });
    expect(await checkAttachment(macho, { maxBytes: 1e6, accept: ['.csv'] })).to.include({ reason: 'content-mismatch' });
    const fakeText = new File([new Uint8Array([0xff, 0xfe, 0x00, 0xd8, 0x41, 0x00])], 'a.txt', { type: 'text/plain' });
    expect(await checkAttachment(fakeText, policy)).to.include({ reason: 'content-mismatch' });
  });

  it('refuses a file that can no longer be read', async () => {
    sinon.stub(Blob.prototype, 'arrayBuffer').rejects(new DOMException('gone', 'NotReadableError'));
    expect(await checkAttachment(samples.pdf(), policy)).to.deep.equal({ ok: false, reason: 'unreadable' });
  });

  it('refuses more files than a message takes', async () => {
    expect(await checkAttachment(samples.png(), policy, 1)).to.deep.equal({ ok: false, reason: 'too-many' });
    expect(await checkAttachment(samples.png(), { ...policy, filesPerMessage: 3 }, 2)).to.include({ ok: true });
  });

  it('reads at most the first 64 KB, however large the file', async () => {
    const slice = sinon.spy(Blob.prototype, 'slice');
    const read = sinon.spy(Blob.prototype, 'arrayBuffer');
    const huge = samples.large(2048, 'movie.mp4'); // 2 GB, never allocated
    expect(huge.size).to.equal(2048 * 1024 * 1024);
    const check = await checkAttachment(huge, { ...policy, maxBytes: 4 * 1024 ** 3 });
    expect(check).to.include({ ok: true, kind: 'video' });
    expect(slice.args).to.deep.equal([[0, sniffBytes]]);
    expect(read.thisValues.map((blob) => blob.size)).to.deep.equal([sniffBytes]);
  });

  it('lists the allowed types for people', () => {
    expect(allowedTypeLabels(policy).slice(0, 4)).to.deep.equal(['JPG', 'JPEG', 'PNG', 'GIF']);
  });
});

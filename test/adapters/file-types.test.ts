import { expect } from '@open-wc/testing';
import { messengerAttachmentPolicy } from '../../src/adapters/facebook/channel.js';
import { extensionOf, safeFileName, typeIsAllowed } from '../../src/adapters/file-types.js';

describe('file types', () => {
  it('matches a policy by extension, MIME type or wildcard', () => {
    const policy = messengerAttachmentPolicy;
    expect(typeIsAllowed(policy, 'invoice.PDF', 'application/pdf')).to.equal(true);
    expect(typeIsAllowed(policy, '4471_n', 'image/jpeg'), 'a numbered image is still a jpg').to.equal(true);
    expect(typeIsAllowed(policy, 'setup.exe', 'application/x-msdownload')).to.equal(false);
    expect(typeIsAllowed(policy, 'voice.wav', 'audio/wav')).to.equal(false);
    expect(typeIsAllowed({ accept: ['image/*'] }, 'x', 'image/webp')).to.equal(true);
    expect(typeIsAllowed({ accept: ['application/pdf'] }, 'x.bin', 'application/pdf')).to.equal(true);
    expect(typeIsAllowed({ accept: ['image/*'] }, 'x.png', 'imagex/png')).to.equal(false);
    expect(typeIsAllowed(policy, 'archive.zip', 'application/zip'), 'a zip is not a docx').to.equal(false);
  });

  it('finds extensions', () => {
    expect([extensionOf('a.tar.GZ'), extensionOf('.bashrc'), extensionOf('README')]).to.deep.equal(['gz', '', '']);
  });

  it('makes names safe to save', () => {
    expect(safeFileName('invoice-2291.pdf', 'application/pdf')).to.equal('invoice-2291.pdf');
    expect(safeFileName('../../etc/passwd', 'text/plain')).to.equal('_.._etc_passwd.txt');
    expect(safeFileName('C:\\Windows\\evil.jpg', 'image/jpeg')).to.equal('C__Windows_evil.jpg');
    expect(safeFileName('photo\u202Egnp.exe', 'image/png'), 'bidi override').to.equal('photo_gnp.exe.png');
    expect(safeFileName('a\u0000b\u001fc\u0085.jpeg', 'image/jpeg')).to.equal('a_b_c_.jpeg');
    expect(safeFileName('...', 'application/pdf', 'Image from Ana')).to.equal('Image from Ana.pdf');
    expect(safeFileName('x'.repeat(300), 'application/octet-stream')).to.have.length(120);
    expect(safeFileName('report.docx', 'application/zip'), 'the content decides').to.equal('report.docx.zip');
    expect(safeFileName('', 'image/jpeg', 'Image from A/../\u202Egpj.exe'), 'the fallback is cleaned too').to.equal('Image from A_..__gpj.exe.jpg');
    expect(safeFileName('setup.exe', 'application/x-msdownload')).to.equal('setup.exe.bin');
    expect(safeFileName('page.html', 'application/octet-stream')).to.equal('page.html.bin');
    expect(safeFileName('notes.md', 'application/octet-stream')).to.equal('notes.md');
  });
});

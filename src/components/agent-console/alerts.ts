let audio: AudioContext | undefined;

/** A short two-note chime, made on the spot (no sound file to host). */
export function chime(): void {
  if (typeof AudioContext !== 'function') return;
  audio ??= new AudioContext();
  void audio.resume().catch(() => {});
  const start = audio.currentTime;
  [659, 880].forEach((frequency, index) => {
    const tone = audio!.createOscillator();
    const volume = audio!.createGain();
    const at = start + index * 0.15;
    tone.frequency.value = frequency;
    volume.gain.setValueAtTime(0.2, at);
    volume.gain.exponentialRampToValueAtTime(0.001, at + 0.3);
    tone.connect(volume).connect(audio!.destination);
    tone.start(at);
    tone.stop(at + 0.3);
  });
}

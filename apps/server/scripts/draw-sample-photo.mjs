// Draws the demo customer's photo (a dented parcel on a wooden floor) on a canvas in Chromium and
// writes it as a JPEG: node apps/server/scripts/draw-sample-photo.mjs out.jpg, then base64 it into
// apps/server/src/sandbox/sample-photo.ts. Drawn, not downloaded, so it is ours to ship.
import { chromium } from 'playwright-core';
import { writeFileSync } from 'node:fs';
const b = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
const p = await b.newPage();
const data = await p.evaluate(() => {
  const W = 640,
    H = 480;
  const c = document.createElement('canvas');
  c.width = W;
  c.height = H;
  const g = c.getContext('2d');
  // seeded random
  let s = 42;
  const rnd = () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
  // wooden floor: planks with grain
  for (let i = 0; i < 8; i++) {
    const y = i * 64;
    const base = [150 + rnd() * 25, 105 + rnd() * 20, 65 + rnd() * 15];
    g.fillStyle = `rgb(${base.map(Math.round).join(',')})`;
    g.fillRect(0, y, W, 64);
    for (let k = 0; k < 60; k++) {
      const yy = y + rnd() * 64;
      g.strokeStyle = `rgba(${rnd() < 0.5 ? '60,35,15' : '200,160,110'},${0.08 + rnd() * 0.12})`;
      g.lineWidth = 0.5 + rnd() * 1.5;
      g.beginPath();
      g.moveTo(0, yy);
      for (let x = 0; x <= W; x += 40) g.lineTo(x, yy + Math.sin(x / 90 + k) * 2 + (rnd() - 0.5) * 2);
      g.stroke();
    }
    g.fillStyle = 'rgba(40,20,5,0.45)';
    g.fillRect(0, y + 62, W, 2);
  }
  // light from top-left
  const light = g.createRadialGradient(180, 80, 40, 260, 200, 600);
  light.addColorStop(0, 'rgba(255,245,225,0.35)');
  light.addColorStop(1, 'rgba(0,0,0,0.35)');
  g.fillStyle = light;
  g.fillRect(0, 0, W, H);
  // box shadow
  g.save();
  g.filter = 'blur(18px)';
  g.fillStyle = 'rgba(0,0,0,0.55)';
  g.beginPath();
  g.moveTo(190, 400);
  g.lineTo(520, 380);
  g.lineTo(560, 300);
  g.lineTo(260, 310);
  g.closePath();
  g.fill();
  g.restore();
  // box: top, front, side
  const top = [
    [170, 170],
    [400, 130],
    [520, 190],
    [290, 235],
  ];
  const front = [
    [170, 170],
    [290, 235],
    [290, 400],
    [175, 335],
  ];
  const side = [
    [290, 235],
    [520, 190],
    [515, 350],
    [290, 400],
  ];
  const poly = (pts, fill) => {
    g.beginPath();
    g.moveTo(...pts[0]);
    for (const q of pts.slice(1)) g.lineTo(...q);
    g.closePath();
    g.fillStyle = fill;
    g.fill();
  };
  const gradTop = g.createLinearGradient(170, 130, 520, 235);
  gradTop.addColorStop(0, '#d9b07a');
  gradTop.addColorStop(1, '#c49660');
  poly(top, gradTop);
  const gradFront = g.createLinearGradient(170, 170, 290, 400);
  gradFront.addColorStop(0, '#b98a52');
  gradFront.addColorStop(1, '#9c7040');
  poly(front, gradFront);
  const gradSide = g.createLinearGradient(290, 235, 520, 350);
  gradSide.addColorStop(0, '#a87a45');
  gradSide.addColorStop(1, '#8a6034');
  poly(side, gradSide);
  // dent on the side: darker crumple
  g.save();
  g.beginPath();
  g.moveTo(...side[0]);
  for (const q of side.slice(1)) g.lineTo(...q);
  g.closePath();
  g.clip();
  const dent = g.createRadialGradient(430, 290, 5, 430, 290, 70);
  dent.addColorStop(0, 'rgba(40,20,5,0.55)');
  dent.addColorStop(0.6, 'rgba(40,20,5,0.2)');
  dent.addColorStop(1, 'rgba(40,20,5,0)');
  g.fillStyle = dent;
  g.fillRect(300, 200, 230, 220);
  g.strokeStyle = 'rgba(50,28,10,0.6)';
  g.lineWidth = 1.5;
  for (const [a, b2, c2, d] of [
    [390, 250, 450, 320],
    [410, 240, 470, 300],
    [400, 300, 460, 270],
    [420, 330, 440, 250],
  ]) {
    g.beginPath();
    g.moveTo(a, b2);
    g.quadraticCurveTo((a + c2) / 2 + 8, (b2 + d) / 2 - 6, c2, d);
    g.stroke();
  }
  g.restore();
  // packing tape along the top
  poly(
    [
      [278, 148],
      [302, 143],
      [412, 206],
      [388, 212],
    ],
    'rgba(225,215,190,0.85)',
  );
  poly(
    [
      [283, 229],
      [297, 226],
      [297, 395],
      [283, 398],
    ],
    'rgba(225,215,190,0.75)',
  );
  // shipping label on top
  poly(
    [
      [205, 175],
      [265, 163],
      [300, 183],
      [240, 196],
    ],
    '#f4f1ea',
  );
  g.strokeStyle = 'rgba(30,30,30,0.7)';
  g.lineWidth = 1.2;
  for (let i = 0; i < 4; i++) {
    g.beginPath();
    g.moveTo(218 + i * 4, 176 + i * 5);
    g.lineTo(252 + i * 4, 169 + i * 5);
    g.stroke();
  }
  // edges
  g.strokeStyle = 'rgba(60,35,15,0.5)';
  g.lineWidth = 1;
  for (const pts of [top, front, side]) {
    g.beginPath();
    g.moveTo(...pts[0]);
    for (const q of pts.slice(1)) g.lineTo(...q);
    g.closePath();
    g.stroke();
  }
  // sensor noise and a soft vignette, as a phone camera gives
  const img = g.getImageData(0, 0, W, H);
  for (let i = 0; i < img.data.length; i += 4) {
    const n = (rnd() - 0.5) * 18;
    img.data[i] += n;
    img.data[i + 1] += n;
    img.data[i + 2] += n;
  }
  g.putImageData(img, 0, 0);
  const v = g.createRadialGradient(W / 2, H / 2, 200, W / 2, H / 2, 420);
  v.addColorStop(0, 'rgba(0,0,0,0)');
  v.addColorStop(1, 'rgba(0,0,0,0.35)');
  g.fillStyle = v;
  g.fillRect(0, 0, W, H);
  return c.toDataURL('image/jpeg', 0.7);
});
writeFileSync(process.argv[2], Buffer.from(data.split(',')[1], 'base64'));
await b.close();

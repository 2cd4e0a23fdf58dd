// What the "user" does in each demo app. Timings are human-like and fixed, so every run drives
// the app the same way; the app's network latencies (api.mjs) make the bugs happen.

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Moves the mouse to the middle of `locator` in small steps, rests, then presses and releases.
async function click(page, locator) {
  const box = await locator.boundingBox();
  if (!box) throw new Error(`not visible: ${locator}`);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 12 });
  await sleep(150);
  await page.mouse.down();
  await sleep(70);
  await page.mouse.up();
}

// A human double click: press/release, ~90 ms, press/release again (click, click, dblclick).
async function doubleClick(page, locator) {
  const box = await locator.boundingBox();
  if (!box) throw new Error(`not visible: ${locator}`);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 12 });
  await sleep(250);
  await page.mouse.down({ clickCount: 1 });
  await sleep(45);
  await page.mouse.up({ clickCount: 1 });
  await sleep(90);
  await page.mouse.down({ clickCount: 2 });
  await sleep(45);
  await page.mouse.up({ clickCount: 2 });
}

// Types `text` into the focused element, one key every gaps[i % gaps.length] ms.
async function type(page, text, gaps) {
  const start = Date.now();
  let due = 0;
  for (const [i, ch] of [...text].entries()) {
    if (i > 0) due += gaps[(i - 1) % gaps.length];
    const wait = start + due - Date.now();
    if (wait > 0) await sleep(wait);
    await page.keyboard.type(ch);
  }
}

const FORM_GAPS = [85, 110, 75, 95, 130, 80, 100, 90];

export const FLOWS = {
  search: {
    port: 9201,
    recording: 'search-race',
    async run(page, origin, step) {
      step(`goto ${origin}/`);
      await page.goto(`${origin}/`, { waitUntil: 'load' });
      await sleep(900);
      step('click the search box');
      await click(page, page.getByTestId('search-input'));
      await sleep(450);
      step('type "fern", ~120 ms per key (requests q=f, fe, fer, fern; fe answers after 900 ms)');
      await type(page, 'fern', [120, 125, 118]);
      await sleep(2500);
      step('end of flow');
    },
    finalState: () => ({
      input: document.getElementById('q').value,
      status: document.getElementById('status').textContent,
      results: [...document.querySelectorAll('#results li .name')].map((n) => n.textContent),
    }),
  },
  checkout: {
    port: 9202,
    recording: 'checkout-double-submit',
    async run(page, origin, step) {
      step(`goto ${origin}/`);
      await page.goto(`${origin}/`, { waitUntil: 'load' });
      await page.waitForSelector('#to-address:not([disabled])');
      await sleep(1200);
      step('click "Continue to delivery"');
      await click(page, page.getByTestId('to-address'));
      await sleep(600);
      step('fill the delivery address (name, Tab, e-mail, street, postcode, Tab, city)');
      await type(page, 'Ada Lovelace', FORM_GAPS);
      await sleep(300);
      await page.keyboard.press('Tab');
      await sleep(250);
      await type(page, 'ada@example.com', FORM_GAPS);
      await sleep(400);
      await click(page, page.getByTestId('street'));
      await sleep(200);
      await type(page, '7 Teapot Lane', FORM_GAPS);
      await sleep(350);
      await click(page, page.getByTestId('postcode'));
      await sleep(200);
      await type(page, 'TE4 2PT', FORM_GAPS);
      await sleep(250);
      await page.keyboard.press('Tab');
      await sleep(250);
      await type(page, 'Steepleton', FORM_GAPS);
      await sleep(700);
      step('double-click "Place order" (~90 ms between the clicks)');
      await doubleClick(page, page.getByTestId('place-order'));
      await sleep(2500);
      step('end of flow');
    },
    finalState: () => {
      const banner = document.getElementById('banner');
      const confirmation = document.getElementById('confirmation');
      const button = document.getElementById('place-order');
      return {
        banner: banner.hidden ? null : banner.textContent,
        confirmation_visible: !confirmation.hidden,
        confirm_title: document.getElementById('confirm-title').textContent,
        order_id: document.getElementById('order-id').textContent,
        order_total: document.getElementById('order-total').textContent,
        place_order_button: { text: button.textContent, disabled: button.disabled },
      };
    },
  },
};

// The app on a phone (390×844): the header is one row of at most 56 px with the user, logout and
// language in a menu, and the navigation one row; with the keyboard up the risk panel is a one-line badge and the focused 情况概述 field is
// entirely visible; a tap on the badge opens the panel again.
//
// The keyboard. index.html asks for `interactive-widget=resizes-content`, so on a phone the
// on-screen keyboard shrinks the layout viewport to what stays visible above it. Here that is
// a viewport of 390×520 (the 520 px visual viewport of the issue), and the field is focused
// with element.focus(), which scrolls it into view as a tap does.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchBrowser, logIn, scratch, startServer } from "./harness.mjs";

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** Whether every part of `selector`'s box is on screen and not covered by anything else. */
function uncovered(page, selector) {
  return page.evaluate((selector) => {
    const el = document.querySelector(selector);
    const r = el.getBoundingClientRect();
    const inside = r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth;
    const points = [];
    for (const fy of [0.02, 0.5, 0.98]) for (const fx of [0.02, 0.5, 0.98]) {
      points.push([r.left + fx * r.width, r.top + fy * r.height]);
    }
    const covered = points.filter(([x, y]) => {
      const hit = document.elementFromPoint(x, y);
      return !(hit && (hit === el || el.contains(hit)));
    }).map(([x, y]) => {
      const hit = document.elementFromPoint(x, y);
      return `${Math.round(x)},${Math.round(y)}: ${hit ? hit.tagName + "." + hit.className : "nothing"}`;
    });
    return { inside, covered, rect: [r.top, r.bottom], viewport: innerHeight };
  }, selector);
}

test("on a phone the header is one row with a menu and the focused 情况概述 field is never under the risk panel", async () => {
  const tmp = scratch();
  const server = await startServer({ db: tmp.db });
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  try {
    await page.goto(server.url);
    await logIn(page);
    // Enough typed that the panel has warnings to show (it is at its tallest).
    await page.fill('[name="parties[0].name"]', "吴霞");
    await page.check('input[name="category"][value="A"]');

    const header = await page.locator("header.top").boundingBox();
    assert.ok(header.height <= 56, `the header is ${header.height} px high`);
    const rows = await page.evaluate(() => {
      const tops = (sel) => [...document.querySelectorAll(sel)]
        .filter((e) => e.offsetParent !== null)
        .map((e) => Math.round(e.getBoundingClientRect().top + e.getBoundingClientRect().height / 2));
      return { header: new Set(tops("header.top > *")).size, nav: new Set(tops(".nav .nav-link")).size };
    });
    assert.equal(rows.nav, 1, "the navigation is one row");
    assert.ok(rows.header <= 2, `header items on ${rows.header} lines`); // centred items, ±1 px
    // The user, logout and language are in the menu: hidden, then shown by a tap on ☰.
    assert.ok(await page.locator("#logout").isHidden());
    await page.tap("#menu-toggle");
    assert.ok(await page.locator("#logout").isVisible());
    assert.match(await page.textContent("#current-user"), /林梓村/);
    await page.tap("#menu-toggle");
    assert.ok(await page.locator("#logout").isHidden());

    // The keyboard comes up over the bottom of the screen; the user taps 情况概述.
    await page.setViewportSize({ width: 390, height: 520 });
    await page.focus('[name="summary"]');
    await page.waitForTimeout(300);
    const seen = await uncovered(page, '[name="summary"]');
    assert.ok(seen.inside, `情况概述 is not on screen: ${JSON.stringify(seen)}`);
    assert.deepEqual(seen.covered, [], `情况概述 is covered: ${JSON.stringify(seen)}`);
    // The panel is one line meanwhile, the level still in sight.
    const panel = await page.locator("aside.preview").boundingBox();
    assert.ok(panel.height <= 40, `the panel is ${panel.height} px high while typing`);
    assert.ok(await page.locator("#risk-level").isVisible());
    await page.keyboard.type("婆媳矛盾");
    assert.equal(await page.inputValue('[name="summary"]'), "婆媳矛盾");

    // A tap on the badge opens the panel (the field lets go of the focus).
    await page.tap("#risk-level");
    await page.locator("aside.preview h3").waitFor({ state: "visible" });
    assert.ok((await page.locator("aside.preview").boundingBox()).height > 80);
  } finally {
    await context.close();
    await server.stop();
    tmp.remove();
  }
});

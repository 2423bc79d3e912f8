// Keeps a PDF build's progress up to date without reloading the page (so nothing moves under
// the reader's cursor and there is no timed refresh): every few seconds it fetches the same page
// and swaps in the live region, which announces changes politely to screen readers.
const region = document.getElementById("build-live");

async function poll() {
  try {
    const response = await fetch(window.location.pathname, { credentials: "same-origin" });
    if (response.ok) {
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.getElementById("build-live");
      if (fresh) {
        region.innerHTML = fresh.innerHTML;
        region.dataset.active = fresh.dataset.active;
      }
    }
  } catch (error) {
    // A dropped request is tried again on the next tick.
  }
  if (region.dataset.active === "true") {
    window.setTimeout(poll, 3000);
  }
}

if (region && region.dataset.active === "true") {
  window.setTimeout(poll, 3000);
}

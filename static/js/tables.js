// Tables that are wider than the screen scroll inside their own frame, never the page (issue 16.7),
// and a frame that scrolls can be reached and scrolled with the keyboard (issue 16.8, axe
// "scrollable-region-focusable"): every table in the main content is put in a frame, and each
// frame is a labelled, focusable region named after the table's caption. One place for every page.
const frames = [];
const names = new Map();

function nameFor(table, index) {
  const caption = table.querySelector("caption");
  let name = caption ? caption.textContent.trim().replace(/\s+/g, " ") : "";
  if (!name) {
    const heading = table.closest("section, div")?.querySelector("h1, h2, h3");
    name = heading ? heading.textContent.trim() : "Table";
  }
  const seen = names.get(name) || 0;
  names.set(name, seen + 1);
  return seen ? `${name} (${seen + 1})` : name;
}

document.querySelectorAll("main table").forEach((table, index) => {
  let frame = table.parentElement.closest(".portal-table-wrapper");
  if (!frame || frame.parentElement === null) {
    frame = document.createElement("div");
    frame.className = "portal-table-wrapper";
    table.parentNode.insertBefore(frame, table);
    frame.appendChild(table);
  }
  if (!frame.hasAttribute("tabindex")) frame.setAttribute("tabindex", "0");
  if (!frame.hasAttribute("role")) frame.setAttribute("role", "region");
  if (!frame.hasAttribute("aria-label") && !frame.hasAttribute("aria-labelledby")) {
    frame.setAttribute("aria-label", nameFor(table, index));
  }
  frames.push(frame);
});

function mark() {
  for (const frame of frames) {
    frame.classList.toggle("portal-table-wrapper--scrolls", frame.scrollWidth > frame.clientWidth + 1);
  }
}
mark();
window.addEventListener("resize", mark);

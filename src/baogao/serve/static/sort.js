// Sortable tables (table.sortable): a click on a column's heading sorts the rows by that column,
// a second click the other way. A cell's data-sort, when present, is what is sorted on (the number
// behind a worded figure such as 5%左右); numbers sort as numbers, text in Chinese order, and
// empty cells always last. A file of its own: the Content-Security-Policy runs no inline script.
(function () {
  "use strict";

  function keyOf(cell) {
    if (!cell) return { text: "", number: NaN };
    const text = (cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent).trim();
    const number = /^[+\-\u2212]?\d[\d,]*(\.\d+)?%?$/.test(text) ? Number(text.replace(/[,%]/g, "").replace("\u2212", "-")) : NaN;
    return { text, number };
  }

  function compare(a, b) {
    if (!isNaN(a.number) && !isNaN(b.number)) return a.number - b.number;
    return a.text.localeCompare(b.text, "zh-Hans-CN", { numeric: true });
  }

  function sortBy(table, heading, index) {
    const ascending = heading.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("thead th[aria-sort]").forEach((th) => th.removeAttribute("aria-sort"));
    heading.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    const body = table.tBodies[0];
    const rows = Array.from(body.rows).map((row, i) => ({ row, i, key: keyOf(row.cells[index]) }));
    rows.sort((a, b) => {
      const blank = (a.key.text === "") - (b.key.text === "");
      if (blank) return blank;                      // empty cells last, either way
      const order = compare(a.key, b.key);
      return order ? (ascending ? order : -order) : a.i - b.i;
    });
    body.append(...rows.map((r) => r.row));
  }

  document.querySelectorAll("table.sortable").forEach((table) => {
    if (!table.tHead || !table.tBodies.length || table.tBodies[0].rows.length < 2) return;
    Array.from(table.tHead.rows[0].cells).forEach((heading, index) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.title = "sort by this column";
      button.append(...heading.childNodes);
      heading.append(button);
      button.addEventListener("click", () => sortBy(table, heading, index));
    });
  });
})();

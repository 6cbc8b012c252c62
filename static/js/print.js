// A button marked data-print prints the page (the page's own print styles hide the controls).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});

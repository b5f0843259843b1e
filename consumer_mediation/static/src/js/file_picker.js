/** @odoo-module **/
// The names of the files chosen in the addon's file pickers, next to their
// button (portal_mediation_file_picker): the browser's own text is hidden
// with the native input, because it speaks the browser's language.
document.addEventListener("change", (ev) => {
    const input = ev.target;
    if (!input.classList || !input.classList.contains("o_mediation_file_input")) {
        return;
    }
    const chosen = document.getElementById(`${input.id}_chosen`);
    if (!chosen) {
        return;
    }
    if (!chosen.dataset.none) {
        chosen.dataset.none = chosen.textContent;
    }
    const names = Array.from(input.files || [], (file) => file.name);
    chosen.textContent = names.length ? names.join(", ") : chosen.dataset.none;
});

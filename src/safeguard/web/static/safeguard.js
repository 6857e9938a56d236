import { initAll } from './vendor/govuk/govuk-frontend.min.js'

initAll()

// A form marked data-sg-working-note shows that note and disables its submit button while the server works.
// (Kept here, not inline in the page: the Content-Security-Policy allows no inline script.)
for (const form of document.querySelectorAll('form[data-sg-working-note]')) {
  form.addEventListener('submit', function () {
    const note = document.getElementById(form.dataset.sgWorkingNote)
    const button = form.querySelector('button[type="submit"]')
    if (note) note.hidden = false
    if (button) {
      button.setAttribute('aria-disabled', 'true')
      button.classList.add('govuk-button--disabled')
      button.textContent = 'Working out'
      button.addEventListener('click', function (event) { event.preventDefault() })
    }
  })
}

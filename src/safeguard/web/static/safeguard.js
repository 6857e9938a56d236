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

// A long list (the offences) marked data-sg-autocomplete becomes GOV.UK's accessible autocomplete: type part of
// a name and choose. The select stays the form's field, so the page works the same without JavaScript.
if (window.accessibleAutocomplete) {
  for (const select of document.querySelectorAll('select[data-sg-autocomplete]')) {
    const chosen = select.value ? select.options[select.selectedIndex].textContent : ''
    window.accessibleAutocomplete.enhanceSelectElement({
      selectElement: select,
      defaultValue: chosen,
      showAllValues: true,
      tNoResults: function () { return 'No offence matches' }
    })
    // Emptying the box clears the choice (the autocomplete itself only ever sets one).
    const input = document.getElementById(select.id.replace(/-select$/, ''))
    if (input) {
      input.addEventListener('blur', function () {
        if (!input.value.trim()) select.value = ''
      })
    }
  }
}

// "412 words · about 2 min read" under the release body, kept current while writing.
// The line is rendered by the server (releases.forms.RichTextWidget, same counting as
// releases.richtext.word_count and WORDS_PER_MINUTE), so it shows without JavaScript too.
import { Extension } from "django-prose-editor/editor"

const WORDS_PER_MINUTE = 220 // releases.richtext.WORDS_PER_MINUTE: why 220 is said there
const ALNUM = /[\p{L}\p{N}]/u

export function lengthNote(text) {
  // As releases.richtext.word_count: space-separated runs holding a letter or digit.
  const words = text.split(/\s+/).filter((token) => ALNUM.test(token)).length
  if (!words) return "No words yet"
  const minutes = Math.ceil(words / WORDS_PER_MINUTE)
  return `${words} word${words === 1 ? "" : "s"} · about ${minutes} min read`
}

function update(editor) {
  const textarea = editor.options.element.querySelector("textarea")
  const line = textarea && document.querySelector(`[data-prose-count-for="${textarea.id}"]`)
  if (line) line.textContent = lengthNote(editor.getText({ blockSeparator: " " }))
}

export const NewsroomWordCount = Extension.create({
  name: "newsroomWordCount",

  onCreate() {
    update(this.editor)
  },

  onUpdate() {
    update(this.editor)
  },
})

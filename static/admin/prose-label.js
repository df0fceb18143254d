// The editable area of a prose editor is named by its field's label: the <label> points
// at the <textarea> the editor hides, so without this a screen reader (and axe) meets an
// unnamed textbox. Loaded for every releases.forms.RichTextWidget as "NewsroomLabel".
import { Extension, Plugin } from "django-prose-editor/editor"

export const NewsroomLabel = Extension.create({
  name: "newsroomLabel",

  addProseMirrorPlugins() {
    const textarea = this.editor.options.element.querySelector("textarea")
    const label = textarea && document.querySelector(`label[for="${textarea.id}"]`)
    const name = label ? label.textContent.replace(/:\s*$/, "").trim() : ""
    const attributes = { "aria-multiline": "true" }
    if (name) attributes["aria-label"] = name
    if (textarea && textarea.getAttribute("aria-describedby")) {
      attributes["aria-describedby"] = textarea.getAttribute("aria-describedby")
    }
    return [new Plugin({ props: { attributes } })]
  },
})

// Keeps the language and direction of blocks through the editor: a release quoting
// Arabic in an English body stores <blockquote lang="ar" dir="rtl"> (releases.sanitize
// allows both on every tag). The editor's schema knows neither, so without this the
// first keystroke anywhere in the body would drop them. Loaded as "NewsroomLanguage".
import { Extension } from "django-prose-editor/editor"

const BLOCKS = [
  "paragraph",
  "heading",
  "blockquote",
  "bulletList",
  "orderedList",
  "listItem",
  "tableCell",
  "tableHeader",
]
const DIRECTIONS = ["ltr", "rtl", "auto"]

function attribute(name, valid) {
  return {
    default: null,
    parseHTML: (element) => {
      const value = element.getAttribute(name)
      return value && valid(value) ? value : null
    },
    renderHTML: (attributes) => (attributes[name] ? { [name]: attributes[name] } : {}),
  }
}

export const NewsroomLanguage = Extension.create({
  name: "newsroomLanguage",

  addGlobalAttributes() {
    return [
      {
        types: BLOCKS,
        attributes: {
          lang: attribute("lang", (value) => /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(value)),
          dir: attribute("dir", (value) => DIRECTIONS.includes(value)),
        },
      },
    ]
  },
})

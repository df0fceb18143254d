// "Insert an image of this release": a toolbar button of the release body's editor that
// offers the release's own images (featured image, image attachments: the list comes
// from releases.forms.body_images) and inserts the one picked, with its alt text.
// Nothing here types an address; the server drops any other image on save
// (releases.richtext.keep_own_images).
import { Extension, crel, gettext } from "django-prose-editor/editor"

let dialogCount = 0

function pickImage(editor, images, note) {
  const dialog = crel("dialog", { className: "prose-editor-dialog prose-images-dialog" })
  // The dialog is named by its heading (a <dialog> has no name of its own, and axe
  // reports an unnamed one); the roles are those showModal() implies, said outright.
  const titleId = `prose-images-title-${++dialogCount}`
  dialog.setAttribute("role", "dialog")
  dialog.setAttribute("aria-modal", "true")
  dialog.setAttribute("aria-labelledby", titleId)
  const close = crel("button", { type: "button", textContent: gettext("Cancel") })
  close.addEventListener("click", () => dialog.close())
  const title = crel("h3", { className: "prose-editor-dialog-title", textContent: gettext("Insert an image of this release") })
  title.id = titleId
  const children = [title]
  if (images.length) {
    const list = crel("ul", { className: "prose-images-list" })
    for (const image of images) {
      const choose = crel("button", { type: "button", className: "prose-images-choice" }, [
        crel("img", { src: image.src, alt: "", loading: "lazy" }),
        crel("span", { textContent: image.title || image.alt }),
      ])
      choose.addEventListener("click", () => {
        dialog.close()
        editor.chain().focus().setImage({ src: image.src, alt: image.alt || image.title }).run()
      })
      list.append(crel("li", {}, [choose]))
    }
    children.push(list)
  } else {
    children.push(crel("p", { className: "prose-images-note", textContent: note }))
  }
  children.push(crel("div", { className: "prose-editor-dialog-buttons" }, [close]))
  dialog.append(...children)
  dialog.addEventListener("close", () => dialog.remove())
  editor.view.dom.parentElement.append(dialog)
  dialog.showModal()
}

export const NewsroomImages = Extension.create({
  name: "newsroomImages",

  addOptions() {
    return { images: [], note: "" }
  },

  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: "newsroomImage",
      groups: "nodes",
      button: buttons.material("image", gettext("Insert an image of this release")),
      active: () => false,
      command: (editor) => pickImage(editor, this.options.images, this.options.note),
    })
  },
})

// Add a stylesheet to the shadow root: adopted where supported (no style-src needed under CSP), else a <style> element.
export function addSheet(shadow: ShadowRoot, css: string, doc: Document = document): void {
  if ('adoptedStyleSheets' in shadow) { // every browser with adoptedStyleSheets has replaceSync
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    shadow.adoptedStyleSheets = [...shadow.adoptedStyleSheets, sheet];
  } else {
    const style = doc.createElement('style'); // old browsers without constructable stylesheets
    style.textContent = css;
    (shadow as ShadowRoot).appendChild(style);
  }
}

// Add a stylesheet to the shadow root: adopted where supported (no style-src needed under CSP), else a <style> element.
export function addSheet(shadow: ShadowRoot, css: string): void {
  if ('adoptedStyleSheets' in shadow) { // every browser with adoptedStyleSheets has replaceSync
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    shadow.adoptedStyleSheets = [...shadow.adoptedStyleSheets, sheet];
  } else {
    (shadow as ShadowRoot).appendChild(document.createElement('style')).textContent = css; // old browsers without constructable stylesheets
  }
}

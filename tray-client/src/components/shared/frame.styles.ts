import { css } from 'lit';

/** The card every tray window is drawn as: the prompt, the tools and the help form. */
export const frameStyles = css`
  :host {
    display: block;
    font-family: system-ui, -apple-system, 'Segoe UI', sans-serif;
    color: #111;
    background: #fff;
    border-radius: 10px;
    box-shadow: 0 6px 24px rgb(0 0 0 / 18%);
    overflow: hidden;
  }
`;

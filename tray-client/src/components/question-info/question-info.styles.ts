import { css } from 'lit';

export const styles = css`
  .text {
    margin: 0;
  }
`;

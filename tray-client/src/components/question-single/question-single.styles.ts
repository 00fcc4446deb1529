import { css } from 'lit';

export const styles = css`
  .options {
    display: flex;
    flex-direction: column;
    gap: 0.4rem;
  }
`;

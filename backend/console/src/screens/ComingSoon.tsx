import { PageHeader } from '../components/PageHeader';

export interface ComingSoonProps {
  title: string;
}

/** Placeholder for a routed page whose screen is not part of this build; its feature flag keeps it out of the navigation. */
export function ComingSoon({ title }: ComingSoonProps) {
  return (
    <>
      <PageHeader title={title} />
      <p>This page is not available in this version of the console.</p>
    </>
  );
}

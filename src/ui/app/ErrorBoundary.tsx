// Last line of defence: a render error in one panel shows a message there, never a blank page.
import { Component, type ReactNode } from 'react';

export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  render() {
    if (this.state.error) {
      return (
        <div role="alert" className="panel error">
          Something went wrong in this panel: {this.state.error.message}. Reload the page to start again; your files never left this computer.
        </div>
      );
    }
    return this.props.children;
  }
}

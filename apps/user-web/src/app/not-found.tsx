export default function NotFound() {
  return (
    <>
      <h1>Page not found</h1>
      <p>
        <a href="/">Go to the start page</a>
      </p>
    </>
  );
}

export default function NotFound() {
  return (
    <>
      <h1>Page not found</h1>
      <p>
        <a href="/users">Go to the users list</a>
      </p>
    </>
  );
}

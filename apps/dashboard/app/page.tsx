export default function Home() {
  return <h1>Projects</h1>;
}
